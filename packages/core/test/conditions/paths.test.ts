import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/conditions';

describe('dotted paths', () => {
  it('reads nested objects', () => {
    expect(evalCondition({ org: { tier: 'Enterprise' } }, { 'org.tier': 'Enterprise' })).toBe(true);
    expect(evalCondition({ org: { tier: 'Free' } }, { 'org.tier': 'Enterprise' })).toBe(false);
    expect(evalCondition({ org: 'Enterprise' }, { 'org.tier': 'Enterprise' })).toBe(false);
    expect(evalCondition({ a: { b: { c: { d: 1 } } } }, { 'a.b.c.d': { $gte: 1 } })).toBe(true);
  });

  it('treats a path through a scalar or null as missing', () => {
    expect(evalCondition({ org: 'x' }, { 'org.tier': null })).toBe(true);
    expect(evalCondition({ org: null }, { 'org.tier': { $exists: false } })).toBe(true);
    expect(evalCondition({}, { 'org.tier': null })).toBe(true);
  });

  it('matches through arrays when any element matches', () => {
    const context = { orders: [{ sku: 'B' }, { sku: 'A' }] };
    expect(evalCondition(context, { 'orders.sku': 'A' })).toBe(true);
    expect(evalCondition(context, { 'orders.sku': 'C' })).toBe(false);
    expect(evalCondition(context, { 'orders.sku': { $in: ['C', 'A'] } })).toBe(true);
    expect(evalCondition(context, { 'orders.sku': { $ne: 'A' } })).toBe(false);
    expect(evalCondition(context, { 'orders.sku': { $nin: ['C'] } })).toBe(true);
  });

  it('crosses arrays at several levels and expands the array at the end', () => {
    const context = { a: [{ b: [{ c: 1 }, { c: 2 }] }, { b: [{ c: [3, 4] }] }] };
    expect(evalCondition(context, { 'a.b.c': 2 })).toBe(true);
    expect(evalCondition(context, { 'a.b.c': 4 })).toBe(true);
    expect(evalCondition(context, { 'a.b.c': [3, 4] })).toBe(true);
    expect(evalCondition(context, { 'a.b.c': 5 })).toBe(false);
  });

  it('does not cross an array nested directly in an array', () => {
    expect(evalCondition({ a: [[{ b: 1 }]] }, { 'a.b': 1 })).toBe(false);
  });

  it('counts elements missing the key as null, as MongoDB does', () => {
    expect(evalCondition({ a: [{ b: 1 }, { c: 2 }] }, { 'a.b': null })).toBe(true);
    expect(evalCondition({ a: [{ b: 1 }, { b: 2 }] }, { 'a.b': null })).toBe(false);
    expect(evalCondition({ a: [1, 2] }, { 'a.b': null })).toBe(true);
    expect(evalCondition({ a: [] }, { 'a.b': null })).toBe(true);
  });

  it('indexes arrays with numeric parts', () => {
    const context = { orders: [{ sku: 'A' }, { sku: 'B' }], matrix: [[1, 2], [3]] };
    expect(evalCondition(context, { 'orders.0.sku': 'A' })).toBe(true);
    expect(evalCondition(context, { 'orders.1.sku': 'A' })).toBe(false);
    expect(evalCondition(context, { 'orders.2.sku': null })).toBe(true);
    expect(evalCondition(context, { 'matrix.1.0': 3 })).toBe(true);
    expect(evalCondition(context, { 'matrix.0': 2 })).toBe(true);
    expect(evalCondition(context, { 'orders.01.sku': 'B' })).toBe(false);
    expect(evalCondition({ m: { 0: 'zero' } }, { 'm.0': 'zero' })).toBe(true);
  });

  it('never reads the prototype chain', () => {
    expect(evalCondition({}, { constructor: { $exists: true } })).toBe(false);
    expect(evalCondition({}, { 'toString.name': { $exists: true } })).toBe(false);
    // In a literal, `__proto__:` sets the prototype: the condition has no keys and matches all.
    expect(evalCondition({}, { __proto__: { $exists: true } } as Record<string, unknown>)).toBe(
      true,
    );
    expect(evalCondition({}, JSON.parse('{"__proto__": {"$exists": true}}'))).toBe(false);
    expect(evalCondition({}, { 'a.__proto__.polluted': { $exists: true } })).toBe(false);
    expect(evalCondition({ tags: [] }, { 'tags.length': 0 })).toBe(false);
    expect(evalCondition({ s: 'abc' }, { 's.length': 3 })).toBe(false);
    const own = JSON.parse('{"__proto__": {"admin": true}, "constructor": "c"}');
    expect(evalCondition(own, JSON.parse('{"__proto__.admin": true}'))).toBe(true);
    expect(evalCondition(own, { constructor: 'c' })).toBe(true);
  });

  it('reads null-prototype contexts and class instances', () => {
    const context = Object.create(null) as Record<string, unknown>;
    context['plan'] = { tier: 'pro' };
    expect(evalCondition(context, { 'plan.tier': 'pro' })).toBe(true);
    class User {
      constructor(readonly country: string) {}
    }
    expect(evalCondition({ user: new User('DE') }, { 'user.country': 'DE' })).toBe(true);
  });

  it('makes the condition false for an empty path part', () => {
    expect(evalCondition({ '': 1 }, { '': 1 })).toBe(false);
    expect(evalCondition({ a: { b: 1 } }, { 'a..b': 1 })).toBe(false);
    expect(evalCondition({ a: 1 }, { 'a.': 1 })).toBe(false);
  });
});
