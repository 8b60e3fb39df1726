import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

describe('$in and $nin', () => {
  it('matches a value equal to some member', () => {
    expect(evalCondition({ country: 'DE' }, { country: { $in: ['DE', 'FR'] } })).toBe(true);
    expect(evalCondition({ country: 'US' }, { country: { $in: ['DE', 'FR'] } })).toBe(false);
    expect(evalCondition({ country: 'US' }, { country: { $nin: ['DE', 'FR'] } })).toBe(true);
    expect(evalCondition({ country: 'DE' }, { country: { $nin: ['DE', 'FR'] } })).toBe(false);
  });

  it('does not coerce: numbers given as strings are not members', () => {
    expect(evalCondition({ id: '1' }, { id: { $in: [1, 2] } })).toBe(false);
    expect(evalCondition({ id: 1 }, { id: { $in: ['1', '2'] } })).toBe(false);
    expect(evalCondition({ id: 1 }, { id: { $in: [true] } })).toBe(false);
    expect(evalCondition({ id: '1' }, { id: { $nin: [1, 2] } })).toBe(true);
  });

  it('matches an array sharing an element with the list, or equal to a member', () => {
    expect(evalCondition({ tags: ['x', 'beta'] }, { tags: { $in: ['beta', 'gamma'] } })).toBe(true);
    expect(evalCondition({ tags: ['x'] }, { tags: { $in: ['beta'] } })).toBe(false);
    expect(evalCondition({ tags: ['a', 'b'] }, { tags: { $in: [['a', 'b']] } })).toBe(true);
    expect(evalCondition({ tags: ['x', 'beta'] }, { tags: { $nin: ['beta'] } })).toBe(false);
    expect(evalCondition({ tags: [] }, { tags: { $nin: ['beta'] } })).toBe(true);
  });

  it('compares objects and dates deeply', () => {
    expect(evalCondition({ org: { id: 1 } }, { org: { $in: [{ id: 2 }, { id: 1 }] } })).toBe(true);
    expect(evalCondition({ org: { id: 1 } }, { org: { $in: [{ id: '1' }] } })).toBe(false);
    const day = new Date(Date.UTC(2024, 4, 1));
    expect(evalCondition({ at: day }, { at: { $in: ['2024-05-01T00:00:00Z'] } })).toBe(true);
    expect(evalCondition({ at: '2024-05-01T00:00:00Z' }, { at: { $in: ['x', day] } })).toBe(true);
  });

  it('matches a missing field when the list holds null', () => {
    expect(evalCondition({}, { a: { $in: [null, 'x'] } })).toBe(true);
    expect(evalCondition({}, { a: { $in: ['x'] } })).toBe(false);
    expect(evalCondition({}, { a: { $nin: ['x'] } })).toBe(true);
    expect(evalCondition({}, { a: { $nin: [null] } })).toBe(false);
    expect(evalCondition({ a: null }, { a: { $in: [null] } })).toBe(true);
  });

  it('never matches with an empty list, and $nin of an empty list always matches', () => {
    expect(evalCondition({ a: 1 }, { a: { $in: [] } })).toBe(false);
    expect(evalCondition({ a: 1 }, { a: { $nin: [] } })).toBe(true);
    expect(evalCondition({}, { a: { $nin: [] } })).toBe(true);
  });

  it('handles NaN, -0 and booleans in the list', () => {
    expect(evalCondition({ n: NaN }, { n: { $in: [NaN] } })).toBe(true);
    expect(evalCondition({ n: -0 }, { n: { $in: [0] } })).toBe(true);
    expect(evalCondition({ b: false }, { b: { $in: [false] } })).toBe(true);
    expect(evalCondition({ b: 0 }, { b: { $in: [false] } })).toBe(false);
  });

  it('serves a long list of ids', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const condition = { userId: { $in: ids } };
    expect(evalCondition({ userId: 'user-9999' }, condition)).toBe(true);
    expect(evalCondition({ userId: 'user-10000' }, condition)).toBe(false);
  });

  it('makes the condition false, under negation too, when the operand is not an array', () => {
    expect(evalCondition({ a: 'x' }, { a: { $in: 'x' } })).toBe(false);
    expect(evalCondition({ a: 'x' }, { a: { $nin: 'y' } })).toBe(false);
    expect(evalCondition({ a: 'x' }, { a: { $in: { 0: 'x' } } })).toBe(false);
    expect(evalCondition({ a: 'x' }, { a: { $not: { $in: null } } })).toBe(false);
  });
});
