import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

const de = { country: 'DE', plan: 'pro', age: 30 };

describe('top-level fields and logical operators', () => {
  it('matches everything with an empty condition', () => {
    expect(evalCondition({}, {})).toBe(true);
    expect(evalCondition(de, {})).toBe(true);
  });

  it('ands the fields of one document', () => {
    expect(evalCondition(de, { country: 'DE', plan: 'pro' })).toBe(true);
    expect(evalCondition(de, { country: 'DE', plan: 'free' })).toBe(false);
  });

  it('$and needs every clause, $or some clause, $nor none', () => {
    expect(evalCondition(de, { $and: [{ country: 'DE' }, { age: { $gt: 18 } }] })).toBe(true);
    expect(evalCondition(de, { $and: [{ country: 'DE' }, { age: { $gt: 40 } }] })).toBe(false);
    expect(evalCondition(de, { $or: [{ country: 'FR' }, { plan: 'pro' }] })).toBe(true);
    expect(evalCondition(de, { $or: [{ country: 'FR' }, { plan: 'free' }] })).toBe(false);
    expect(evalCondition(de, { $nor: [{ country: 'FR' }, { plan: 'free' }] })).toBe(true);
    expect(evalCondition(de, { $nor: [{ country: 'FR' }, { plan: 'pro' }] })).toBe(false);
  });

  it('combines logical operators with fields and with each other', () => {
    const condition = {
      plan: 'pro',
      $or: [{ country: { $in: ['DE', 'AT'] } }, { $and: [{ age: { $lt: 18 } }] }],
      $nor: [{ banned: true }],
    };
    expect(evalCondition(de, condition)).toBe(true);
    expect(evalCondition({ ...de, banned: true }, condition)).toBe(false);
    expect(evalCondition({ ...de, country: 'US' }, condition)).toBe(false);
    expect(evalCondition({ ...de, country: 'US', age: 12 }, condition)).toBe(true);
  });

  it('makes the condition false for empty or non-array clause lists, and non-object clauses', () => {
    expect(evalCondition(de, { $and: [] })).toBe(false);
    expect(evalCondition(de, { $or: [] })).toBe(false);
    expect(evalCondition(de, { $nor: [] })).toBe(false);
    expect(evalCondition(de, { $and: { country: 'DE' } })).toBe(false);
    expect(evalCondition(de, { $or: [{ country: 'DE' }, 'x'] })).toBe(false);
    expect(evalCondition(de, { $nor: [null] })).toBe(false);
    expect(evalCondition(de, { $nor: [[]] })).toBe(false);
  });

  it('fails closed: an invalid clause anywhere makes the whole condition false', () => {
    expect(evalCondition(de, { $or: [{ country: 'DE' }, { plan: { $bogus: 1 } }] })).toBe(false);
    expect(evalCondition(de, { $nor: [{ country: { $inn: ['FR'] } }] })).toBe(false);
    expect(evalCondition(de, { country: { $not: { $regex: '(' } } })).toBe(false);
  });

  it('makes an unknown top-level operator false', () => {
    expect(evalCondition(de, { $where: 'true' })).toBe(false);
    expect(evalCondition(de, { $expr: { $eq: [1, 1] } })).toBe(false);
    expect(evalCondition(de, { $not: { country: 'FR' } })).toBe(false);
    expect(evalCondition(de, { $eq: 'DE' })).toBe(false);
  });

  it('treats a mix of operators and plain keys in one field spec as invalid', () => {
    expect(evalCondition({ a: { b: 1, $gt: 0 } }, { a: { b: 1, $gt: 0 } })).toBe(false);
  });
});
