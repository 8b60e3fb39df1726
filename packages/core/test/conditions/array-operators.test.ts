import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

describe('$size', () => {
  it('matches arrays of exactly that length, and nothing else', () => {
    expect(evalCondition({ a: [1, 2] }, { a: { $size: 2 } })).toBe(true);
    expect(evalCondition({ a: [] }, { a: { $size: 0 } })).toBe(true);
    expect(evalCondition({ a: [1] }, { a: { $size: 2 } })).toBe(false);
    expect(evalCondition({ a: 'ab' }, { a: { $size: 2 } })).toBe(false);
    expect(evalCondition({ a: { length: 2 } }, { a: { $size: 2 } })).toBe(false);
    expect(evalCondition({}, { a: { $size: 0 } })).toBe(false);
    expect(evalCondition({ a: [[1, 2]] }, { a: { $size: 2 } })).toBe(false);
  });

  it('applies to arrays reached through a path', () => {
    const context = { orders: [{ items: [1] }, { items: [1, 2] }] };
    expect(evalCondition(context, { 'orders.items': { $size: 2 } })).toBe(true);
    expect(evalCondition(context, { 'orders.items': { $size: 3 } })).toBe(false);
  });

  it('makes the condition false for a size that is not a non-negative integer', () => {
    expect(evalCondition({ a: [1] }, { a: { $size: 1.5 } })).toBe(false);
    expect(evalCondition({ a: [1] }, { a: { $size: -1 } })).toBe(false);
    expect(evalCondition({ a: [1] }, { a: { $size: '1' } })).toBe(false);
    expect(evalCondition({ a: [1] }, { a: { $not: { $size: '1' } } })).toBe(false);
  });
});

describe('$all', () => {
  it('matches an array holding every member, in any order', () => {
    expect(evalCondition({ tags: ['y', 'z', 'x'] }, { tags: { $all: ['x', 'y'] } })).toBe(true);
    expect(evalCondition({ tags: ['x'] }, { tags: { $all: ['x', 'y'] } })).toBe(false);
    expect(evalCondition({ tags: 'x' }, { tags: { $all: ['x'] } })).toBe(true);
    expect(evalCondition({}, { tags: { $all: ['x'] } })).toBe(false);
    expect(evalCondition({ tags: ['1'] }, { tags: { $all: [1] } })).toBe(false);
  });

  it('matches nested arrays and objects by deep equality', () => {
    expect(evalCondition({ a: [[1, 2], 3] }, { a: { $all: [[1, 2], 3] } })).toBe(true);
    expect(evalCondition({ a: [1, 2] }, { a: { $all: [[1, 2]] } })).toBe(true);
    expect(evalCondition({ a: [{ k: 1 }, { k: 2 }] }, { a: { $all: [{ k: 2 }] } })).toBe(true);
  });

  it('matches nothing with an empty list, and rejects a non-array operand', () => {
    expect(evalCondition({ a: [] }, { a: { $all: [] } })).toBe(false);
    expect(evalCondition({ a: ['x'] }, { a: { $all: 'x' } })).toBe(false);
    expect(evalCondition({ a: ['x'] }, { $nor: [{ a: { $all: 'x' } }] })).toBe(false);
  });
});

describe('$elemMatch', () => {
  it('needs one element to satisfy all operators of the value form', () => {
    expect(evalCondition({ s: [70, 82] }, { s: { $elemMatch: { $gte: 80, $lt: 85 } } })).toBe(true);
    expect(evalCondition({ s: [70, 90] }, { s: { $elemMatch: { $gte: 80, $lt: 85 } } })).toBe(
      false,
    );
    expect(evalCondition({ s: ['82'] }, { s: { $elemMatch: { $gte: 80 } } })).toBe(false);
    expect(evalCondition({ s: 82 }, { s: { $elemMatch: { $gte: 80 } } })).toBe(false);
    expect(evalCondition({}, { s: { $elemMatch: { $gte: 80 } } })).toBe(false);
    expect(evalCondition({ s: [[1, 9]] }, { s: { $elemMatch: { $gt: 5 } } })).toBe(true);
    expect(evalCondition({ s: ['a', 'b'] }, { s: { $elemMatch: { $ne: 'a' } } })).toBe(true);
    expect(evalCondition({ s: ['a'] }, { s: { $elemMatch: { $ne: 'a' } } })).toBe(false);
  });

  it('needs one object element to match the whole query of the document form', () => {
    const context = {
      orders: [
        { sku: 'A', qty: 1 },
        { sku: 'B', qty: 5 },
      ],
    };
    expect(evalCondition(context, { orders: { $elemMatch: { sku: 'B', qty: { $gt: 2 } } } })).toBe(
      true,
    );
    expect(evalCondition(context, { orders: { $elemMatch: { sku: 'A', qty: { $gt: 2 } } } })).toBe(
      false,
    );
    expect(
      evalCondition(context, { orders: { $elemMatch: { $or: [{ sku: 'Z' }, { qty: 1 }] } } }),
    ).toBe(true);
    expect(
      evalCondition({ orders: [1, 'x', null] }, { orders: { $elemMatch: { sku: null } } }),
    ).toBe(false);
    expect(evalCondition({ orders: [{}] }, { orders: { $elemMatch: { sku: null } } })).toBe(true);
  });

  it('nests', () => {
    const context = { groups: [{ members: [{ role: 'admin' }] }, { members: [] }] };
    const condition = {
      groups: { $elemMatch: { members: { $elemMatch: { role: 'admin' } } } },
    };
    expect(evalCondition(context, condition)).toBe(true);
    expect(evalCondition({ groups: [{ members: [{ role: 'user' }] }] }, condition)).toBe(false);
  });

  it('makes the condition false for a malformed operand', () => {
    expect(evalCondition({ s: [1] }, { s: { $elemMatch: 1 } })).toBe(false);
    expect(evalCondition({ s: [1] }, { s: { $elemMatch: {} } })).toBe(false);
    expect(evalCondition({ s: [1] }, { s: { $elemMatch: [] } })).toBe(false);
    expect(evalCondition({ s: [1] }, { s: { $elemMatch: { $gt: 0, $bogus: 1 } } })).toBe(false);
    expect(evalCondition({ s: [{ a: 1 }] }, { s: { $elemMatch: { a: 1, $gt: 0 } } })).toBe(false);
  });
});
