import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

describe('$gt $gte $lt $lte', () => {
  it('orders numbers', () => {
    expect(evalCondition({ n: 6 }, { n: { $gt: 5 } })).toBe(true);
    expect(evalCondition({ n: 5 }, { n: { $gt: 5 } })).toBe(false);
    expect(evalCondition({ n: 5 }, { n: { $gte: 5 } })).toBe(true);
    expect(evalCondition({ n: 4.5 }, { n: { $lt: 5 } })).toBe(true);
    expect(evalCondition({ n: 5 }, { n: { $lte: 5 } })).toBe(true);
    expect(evalCondition({ n: -Infinity }, { n: { $lt: -1e308 } })).toBe(true);
    expect(evalCondition({ n: NaN }, { n: { $lte: 5 } })).toBe(false);
    expect(evalCondition({ n: NaN }, { n: { $gte: 5 } })).toBe(false);
  });

  it('orders strings by code unit', () => {
    expect(evalCondition({ s: 'b' }, { s: { $gt: 'a' } })).toBe(true);
    expect(evalCondition({ s: 'B' }, { s: { $gt: 'a' } })).toBe(false);
    expect(evalCondition({ s: 'abc' }, { s: { $gte: 'ab' } })).toBe(true);
  });

  it('orders booleans, false before true', () => {
    expect(evalCondition({ b: true }, { b: { $gt: false } })).toBe(true);
    expect(evalCondition({ b: false }, { b: { $lt: true } })).toBe(true);
    expect(evalCondition({ b: false }, { b: { $gt: false } })).toBe(false);
  });

  it('never compares across types: numbers given as strings are not numbers', () => {
    expect(evalCondition({ n: '6' }, { n: { $gt: 5 } })).toBe(false);
    expect(evalCondition({ n: '6' }, { n: { $lt: 5 } })).toBe(false);
    expect(evalCondition({ n: 6 }, { n: { $gt: '5' } })).toBe(false);
    expect(evalCondition({ n: true }, { n: { $gt: 0 } })).toBe(false);
    expect(evalCondition({ n: null }, { n: { $lt: 5 } })).toBe(false);
    expect(evalCondition({}, { n: { $lt: 5 } })).toBe(false);
    expect(evalCondition({ n: { v: 1 } }, { n: { $gt: 0 } })).toBe(false);
  });

  it('matches an array when some element satisfies the comparison', () => {
    expect(evalCondition({ n: [1, 6] }, { n: { $gt: 5 } })).toBe(true);
    expect(evalCondition({ n: [1, 2] }, { n: { $gt: 5 } })).toBe(false);
    expect(evalCondition({ n: [[6]] }, { n: { $gt: 5 } })).toBe(false);
  });

  it('lets different elements satisfy different operators, as MongoDB does', () => {
    expect(evalCondition({ n: [0, 10] }, { n: { $gt: 5, $lt: 3 } })).toBe(true);
    expect(evalCondition({ n: [4] }, { n: { $gt: 5, $lt: 3 } })).toBe(false);
    expect(evalCondition({ n: [0, 10] }, { n: { $elemMatch: { $gt: 5, $lt: 3 } } })).toBe(false);
  });

  it('compares Dates with Dates and with ISO-8601 strings, at the instant', () => {
    const jan = new Date(Date.UTC(2024, 0, 1));
    const feb = new Date(Date.UTC(2024, 1, 1));
    expect(evalCondition({ at: feb }, { at: { $gt: jan } })).toBe(true);
    expect(evalCondition({ at: feb }, { at: { $gt: '2024-01-01' } })).toBe(true);
    expect(evalCondition({ at: feb }, { at: { $lt: '2024-01-01T00:00:00Z' } })).toBe(false);
    expect(evalCondition({ at: '2024-03-01T10:00:00+02:00' }, { at: { $gt: feb } })).toBe(true);
    expect(evalCondition({ at: feb }, { at: { $gte: '2024-02-01T01:00:00+01:00' } })).toBe(true);
    expect(evalCondition({ at: feb }, { at: { $gt: feb.getTime() - 1 } })).toBe(false);
    expect(evalCondition({ at: feb }, { at: { $gt: '2024-02-30' } })).toBe(false);
    expect(evalCondition({ at: new Date(NaN) }, { at: { $lt: feb } })).toBe(false);
  });

  it('reads ISO dates before year 100 and with fractions correctly', () => {
    const early = new Date(0);
    early.setUTCFullYear(50, 0, 1);
    early.setUTCHours(0, 0, 0, 0);
    expect(evalCondition({ at: early }, { at: '0050-01-01' })).toBe(true);
    const precise = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 123));
    expect(evalCondition({ at: precise }, { at: '2024-01-01T00:00:00.123456Z' })).toBe(true);
    expect(evalCondition({ at: new Date(Date.UTC(2024, 1, 29)) }, { at: '2024-02-29' })).toBe(true);
    expect(evalCondition({ at: new Date(Date.UTC(2023, 2, 1)) }, { at: '2023-02-29' })).toBe(false);
  });

  it('compares ISO strings with each other as strings', () => {
    expect(evalCondition({ at: '2024-03-01T00:00:00Z' }, { at: { $gte: '2024-01-01' } })).toBe(
      true,
    );
  });

  it('treats a null operand as MongoDB does: $gte/$lte match null and missing, $gt/$lt nothing', () => {
    expect(evalCondition({}, { a: { $gte: null } })).toBe(true);
    expect(evalCondition({ a: null }, { a: { $lte: null } })).toBe(true);
    expect(evalCondition({ a: 1 }, { a: { $gte: null } })).toBe(false);
    expect(evalCondition({ a: null }, { a: { $gt: null } })).toBe(false);
    expect(evalCondition({}, { a: { $lt: null } })).toBe(false);
  });

  it('makes the condition false for an operand that cannot be ordered', () => {
    expect(evalCondition({ a: [1] }, { a: { $gt: [0] } })).toBe(false);
    expect(evalCondition({ a: { b: 1 } }, { a: { $lte: { b: 2 } } })).toBe(false);
    expect(evalCondition({ a: 1 }, { $nor: [{ a: { $gt: {} } }] })).toBe(false);
  });

  it('combines several comparisons on one field as a range', () => {
    const inRange = { age: { $gte: 18, $lt: 65 } };
    expect(evalCondition({ age: 18 }, inRange)).toBe(true);
    expect(evalCondition({ age: 64.9 }, inRange)).toBe(true);
    expect(evalCondition({ age: 65 }, inRange)).toBe(false);
    expect(evalCondition({ age: 17 }, inRange)).toBe(false);
  });
});
