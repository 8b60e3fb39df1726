import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

describe('$exists', () => {
  it('tells present values (null included) from missing and undefined ones', () => {
    expect(evalCondition({ a: 1 }, { a: { $exists: true } })).toBe(true);
    expect(evalCondition({ a: null }, { a: { $exists: true } })).toBe(true);
    expect(evalCondition({ a: [] }, { a: { $exists: true } })).toBe(true);
    expect(evalCondition({ a: false }, { a: { $exists: true } })).toBe(true);
    expect(evalCondition({}, { a: { $exists: true } })).toBe(false);
    expect(evalCondition({ a: undefined }, { a: { $exists: true } })).toBe(false);
    expect(evalCondition({}, { a: { $exists: false } })).toBe(true);
    expect(evalCondition({ a: undefined }, { a: { $exists: false } })).toBe(true);
    expect(evalCondition({ a: null }, { a: { $exists: false } })).toBe(false);
  });

  it('accepts 1 and 0 as MongoDB does, and nothing else', () => {
    expect(evalCondition({ a: 1 }, { a: { $exists: 1 } })).toBe(true);
    expect(evalCondition({}, { a: { $exists: 0 } })).toBe(true);
    expect(evalCondition({ a: 1 }, { a: { $exists: 'yes' } })).toBe(false);
    expect(evalCondition({}, { a: { $exists: null } })).toBe(false);
  });

  it('follows paths through arrays', () => {
    expect(evalCondition({ a: [{ b: 1 }, {}] }, { 'a.b': { $exists: true } })).toBe(true);
    expect(evalCondition({ a: [{}, {}] }, { 'a.b': { $exists: true } })).toBe(false);
    expect(evalCondition({ a: [1, 2] }, { 'a.b': { $exists: false } })).toBe(true);
    expect(evalCondition({ a: [1, 2] }, { 'a.1': { $exists: true } })).toBe(true);
    expect(evalCondition({ a: [1, 2] }, { 'a.2': { $exists: true } })).toBe(false);
  });
});

describe('$type', () => {
  const cases: [unknown, string][] = [
    ['x', 'string'],
    [1.5, 'number'],
    [1.5, 'double'],
    [3, 'int'],
    [true, 'boolean'],
    [false, 'bool'],
    [[], 'array'],
    [{ b: 1 }, 'object'],
    [null, 'null'],
    [new Date(0), 'date'],
  ];
  it.each(cases)('matches %o as %s', (value, type) => {
    expect(evalCondition({ a: value }, { a: { $type: type } })).toBe(true);
  });

  it('does not confuse types', () => {
    expect(evalCondition({ a: '1' }, { a: { $type: 'number' } })).toBe(false);
    expect(evalCondition({ a: 1.5 }, { a: { $type: 'int' } })).toBe(false);
    expect(evalCondition({ a: null }, { a: { $type: 'object' } })).toBe(false);
    expect(evalCondition({ a: [] }, { a: { $type: 'object' } })).toBe(false);
    expect(evalCondition({ a: new Date(0) }, { a: { $type: 'object' } })).toBe(false);
    expect(evalCondition({ a: '2024-01-01' }, { a: { $type: 'date' } })).toBe(false);
    expect(evalCondition({}, { a: { $type: 'null' } })).toBe(false);
  });

  it('tests array elements too, and accepts lists and BSON numbers', () => {
    expect(evalCondition({ a: [1, 'x'] }, { a: { $type: 'string' } })).toBe(true);
    expect(evalCondition({ a: [[1]] }, { a: { $type: 'array' } })).toBe(true);
    expect(evalCondition({ a: [{}] }, { a: { $type: 'object' } })).toBe(true);
    expect(evalCondition({ a: true }, { a: { $type: ['string', 'bool'] } })).toBe(true);
    expect(evalCondition({ a: 'x' }, { a: { $type: 2 } })).toBe(true);
    expect(evalCondition({ a: null }, { a: { $type: 10 } })).toBe(true);
  });

  it('makes the condition false for an unknown type name', () => {
    expect(evalCondition({ a: 'x' }, { a: { $type: 'text' } })).toBe(false);
    expect(evalCondition({ a: 'x' }, { a: { $type: [] } })).toBe(false);
    expect(evalCondition({ a: 'x' }, { a: { $type: ['string', 'nope'] } })).toBe(false);
    expect(evalCondition({ a: 'x' }, { a: { $not: { $type: 'constructor' } } })).toBe(false);
  });
});

describe('$regex', () => {
  it('matches strings, with $options i, m and s', () => {
    expect(evalCondition({ email: 'ann@acme.com' }, { email: { $regex: '@acme\\.com$' } })).toBe(
      true,
    );
    expect(evalCondition({ email: 'ann@ACME.com' }, { email: { $regex: '@acme\\.com$' } })).toBe(
      false,
    );
    expect(
      evalCondition(
        { email: 'ann@ACME.com' },
        { email: { $regex: '@acme\\.com$', $options: 'i' } },
      ),
    ).toBe(true);
    expect(evalCondition({ s: 'a\nb' }, { s: { $regex: '^b$', $options: 'm' } })).toBe(true);
    expect(evalCondition({ s: 'a\nb' }, { s: { $regex: '^b$' } })).toBe(false);
    expect(evalCondition({ s: 'a\nb' }, { s: { $regex: 'a.b', $options: 's' } })).toBe(true);
    expect(evalCondition({ s: 'a\nb' }, { s: { $regex: 'a.b' } })).toBe(false);
  });

  it('never matches non-strings, and tests array elements', () => {
    expect(evalCondition({ n: 123 }, { n: { $regex: '^1' } })).toBe(false);
    expect(evalCondition({ n: null }, { n: { $regex: '' } })).toBe(false);
    expect(evalCondition({}, { n: { $regex: '' } })).toBe(false);
    expect(evalCondition({ n: { a: 'x' } }, { n: { $regex: 'x' } })).toBe(false);
    expect(evalCondition({ tags: ['a', 'beta-2'] }, { tags: { $regex: '^beta' } })).toBe(true);
  });

  it('accepts RegExp objects, as operand or as the literal, dropping the stateful g and y', () => {
    expect(evalCondition({ s: 'Hello' }, { s: /^h/i })).toBe(true);
    expect(evalCondition({ s: 'Hello' }, { s: { $regex: /^h/ } })).toBe(false);
    expect(evalCondition({ s: 'Hello' }, { s: { $regex: /^h/, $options: 'i' } })).toBe(true);
    const global = /l/g;
    const condition = { s: global };
    expect([1, 2, 3].map(() => evalCondition({ s: 'Hello' }, condition))).toEqual([
      true,
      true,
      true,
    ]);
    expect(evalCondition({ s: 'Hello' }, { s: { $not: /^H/ } })).toBe(false);
  });

  it('makes the condition false for an invalid pattern or option, even under negation', () => {
    expect(evalCondition({ s: 'x' }, { s: { $regex: '(' } })).toBe(false);
    expect(evalCondition({ s: 'x' }, { s: { $not: { $regex: '(' } } })).toBe(false);
    expect(evalCondition({ s: 'x' }, { $nor: [{ s: { $regex: '[' } }] })).toBe(false);
    expect(evalCondition({ s: 'x' }, { s: { $regex: 'x', $options: 'x' } })).toBe(false);
    expect(evalCondition({ s: 'x' }, { s: { $regex: 'x', $options: 'g' } })).toBe(false);
    expect(evalCondition({ s: 'x' }, { s: { $regex: 'x', $options: 1 } })).toBe(false);
    expect(evalCondition({ s: 'x' }, { s: { $regex: 42 } })).toBe(false);
    expect(evalCondition({ s: 'x' }, { s: { $options: 'i' } })).toBe(false);
  });

  it('dedupes repeated option letters', () => {
    expect(evalCondition({ s: 'X' }, { s: { $regex: 'x', $options: 'ii' } })).toBe(true);
  });
});

describe('$not', () => {
  it('negates an operator object at the same path, matching missing fields too', () => {
    expect(evalCondition({ n: 3 }, { n: { $not: { $gt: 5 } } })).toBe(true);
    expect(evalCondition({ n: 6 }, { n: { $not: { $gt: 5 } } })).toBe(false);
    expect(evalCondition({}, { n: { $not: { $gt: 5 } } })).toBe(true);
    expect(evalCondition({ n: '6' }, { n: { $not: { $gt: 5 } } })).toBe(true);
    expect(evalCondition({ n: [1, 6] }, { n: { $not: { $gt: 5 } } })).toBe(false);
    expect(evalCondition({ n: 4 }, { n: { $not: { $gt: 1, $lt: 5 } } })).toBe(false);
    expect(evalCondition({ n: 4 }, { n: { $not: { $not: { $eq: 4 } } } })).toBe(true);
  });

  it('makes the condition false for an operand that is not an operator object or regex', () => {
    expect(evalCondition({ n: 3 }, { n: { $not: 5 } })).toBe(false);
    expect(evalCondition({ n: 3 }, { n: { $not: {} } })).toBe(false);
    expect(evalCondition({ n: 3 }, { n: { $not: { a: 1 } } })).toBe(false);
    expect(evalCondition({ n: 3 }, { n: { $not: { $gt: 1, a: 1 } } })).toBe(false);
    expect(evalCondition({ n: 3 }, { n: { $not: 'x' } })).toBe(false);
  });
});
