import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

describe('implicit equality and $eq', () => {
  it('matches a scalar field equal to the literal', () => {
    expect(evalCondition({ country: 'DE' }, { country: 'DE' })).toBe(true);
    expect(evalCondition({ country: 'FR' }, { country: 'DE' })).toBe(false);
    expect(evalCondition({ country: 'DE' }, { country: { $eq: 'DE' } })).toBe(true);
  });

  it('never coerces: a number given as a string is not that number', () => {
    expect(evalCondition({ age: '42' }, { age: 42 })).toBe(false);
    expect(evalCondition({ age: 42 }, { age: '42' })).toBe(false);
    expect(evalCondition({ on: 1 }, { on: true })).toBe(false);
    expect(evalCondition({ on: 0 }, { on: false })).toBe(false);
    expect(evalCondition({ on: '' }, { on: false })).toBe(false);
  });

  it('treats -0 as 0 and NaN as equal to NaN', () => {
    expect(evalCondition({ n: -0 }, { n: 0 })).toBe(true);
    expect(evalCondition({ n: NaN }, { n: NaN })).toBe(true);
    expect(evalCondition({ n: NaN }, { n: 0 })).toBe(false);
  });

  it('matches an array containing the literal, or equal to it', () => {
    expect(evalCondition({ tags: ['beta', 'x'] }, { tags: 'beta' })).toBe(true);
    expect(evalCondition({ tags: ['alpha'] }, { tags: 'beta' })).toBe(false);
    expect(evalCondition({ tags: [] }, { tags: 'beta' })).toBe(false);
    expect(evalCondition({ tags: ['a', 'b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(evalCondition({ tags: ['b', 'a'] }, { tags: ['a', 'b'] })).toBe(false);
    expect(evalCondition({ tags: [['a', 'b'], 'c'] }, { tags: ['a', 'b'] })).toBe(true);
  });

  it('does not look inside nested arrays for a scalar', () => {
    expect(evalCondition({ a: [[1]] }, { a: 1 })).toBe(false);
    expect(evalCondition({ a: [[1]] }, { a: [1] })).toBe(true);
  });

  it('compares objects deeply, in any key order', () => {
    expect(evalCondition({ org: { id: 1, tier: 'x' } }, { org: { tier: 'x', id: 1 } })).toBe(true);
    expect(evalCondition({ org: { id: 1, tier: 'x' } }, { org: { id: 1 } })).toBe(false);
    expect(evalCondition({ org: { id: 1 } }, { org: { id: 1, tier: 'x' } })).toBe(false);
    expect(
      evalCondition({ org: { id: [1, { a: null }] } }, { org: { id: [1, { a: null }] } }),
    ).toBe(true);
    expect(evalCondition({ org: [{ id: 1 }] }, { org: { id: 1 } })).toBe(true);
    expect(evalCondition({ org: { id: 1 } }, { org: { $eq: { id: 1 } } })).toBe(true);
    expect(evalCondition({ org: {} }, { org: {} })).toBe(true);
    expect(evalCondition({ org: [] }, { org: {} })).toBe(false);
  });

  it('matches null against null, missing and undefined, as MongoDB does', () => {
    expect(evalCondition({}, { a: null })).toBe(true);
    expect(evalCondition({ a: undefined }, { a: null })).toBe(true);
    expect(evalCondition({ a: null }, { a: null })).toBe(true);
    expect(evalCondition({ a: [1, null] }, { a: null })).toBe(true);
    expect(evalCondition({ a: 0 }, { a: null })).toBe(false);
    expect(evalCondition({ a: '' }, { a: null })).toBe(false);
    expect(evalCondition({ a: [] }, { a: null })).toBe(false);
  });

  it('does not match a missing field against a non-null literal', () => {
    expect(evalCondition({}, { a: 'x' })).toBe(false);
    expect(evalCondition({}, { a: false })).toBe(false);
    expect(evalCondition({}, { a: 0 })).toBe(false);
  });

  it('equates a Date with a Date or an ISO-8601 string of the same instant', () => {
    const when = new Date(Date.UTC(2024, 0, 15, 12, 0, 0));
    expect(evalCondition({ at: when }, { at: new Date(when.getTime()) })).toBe(true);
    expect(evalCondition({ at: when }, { at: '2024-01-15T12:00:00Z' })).toBe(true);
    expect(evalCondition({ at: when }, { at: '2024-01-15T13:00:00+01:00' })).toBe(true);
    expect(evalCondition({ at: when }, { at: '2024-01-15T12:00:00' })).toBe(true);
    expect(evalCondition({ at: '2024-01-15T12:00:00.000Z' }, { at: when })).toBe(true);
    expect(evalCondition({ at: when }, { at: '2024-01-15' })).toBe(false);
    expect(evalCondition({ at: when }, { at: when.getTime() })).toBe(false);
    expect(evalCondition({ at: when }, { at: 'not a date' })).toBe(false);
    expect(evalCondition({ at: new Date(NaN) }, { at: new Date(NaN) })).toBe(false);
  });

  it('compares two strings as strings even when both are dates', () => {
    expect(evalCondition({ at: '2024-01-15T12:00:00Z' }, { at: '2024-01-15T13:00:00+01:00' })).toBe(
      false,
    );
  });
});

describe('$ne', () => {
  it('is the negation of $eq with array semantics', () => {
    expect(evalCondition({ tags: ['beta'] }, { tags: { $ne: 'beta' } })).toBe(false);
    expect(evalCondition({ tags: ['beta', 'x'] }, { tags: { $ne: 'beta' } })).toBe(false);
    expect(evalCondition({ tags: ['x'] }, { tags: { $ne: 'beta' } })).toBe(true);
    expect(evalCondition({ tags: 'x' }, { tags: { $ne: 'beta' } })).toBe(true);
  });

  it('matches a missing field unless the operand is null', () => {
    expect(evalCondition({}, { a: { $ne: 'x' } })).toBe(true);
    expect(evalCondition({}, { a: { $ne: null } })).toBe(false);
    expect(evalCondition({ a: null }, { a: { $ne: null } })).toBe(false);
    expect(evalCondition({ a: 0 }, { a: { $ne: null } })).toBe(true);
  });

  it('does not coerce types', () => {
    expect(evalCondition({ a: '1' }, { a: { $ne: 1 } })).toBe(true);
    expect(evalCondition({ a: { b: 1 } }, { a: { $ne: { b: 1 } } })).toBe(false);
  });
});
