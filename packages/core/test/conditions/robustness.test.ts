import { describe, expect, it } from 'vitest';
import { MAX_CONDITION_DEPTH, evalCondition } from '../../src/conditions';

function nestedAnd(depth: number): Record<string, unknown> {
  let condition: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < depth; i++) condition = { $and: [condition] };
  return condition;
}

function nestedNot(depth: number): Record<string, unknown> {
  let spec: Record<string, unknown> = { $eq: 1 };
  for (let i = 0; i < depth; i++) spec = { $not: spec };
  return { a: spec };
}

describe('malformed conditions', () => {
  it('makes an unknown field operator false, even under negation', () => {
    expect(evalCondition({ a: 1 }, { a: { $foo: 1 } })).toBe(false);
    expect(evalCondition({ a: 1 }, { a: { $not: { $foo: 1 } } })).toBe(false);
    expect(evalCondition({ a: 1 }, { a: { $eq: 1, $foo: 1 } })).toBe(false);
    expect(evalCondition({ a: 1 }, { a: { __proto__: 1, $eq: 1 } })).toBe(true);
    expect(evalCondition({ a: 1 }, JSON.parse('{"a": {"$eq": 1, "__proto__": 1}}'))).toBe(false);
    expect(evalCondition({ a: 1 }, { a: { $constructor: 1 } })).toBe(false);
  });

  it('makes an operand of undefined false', () => {
    expect(evalCondition({}, { a: { $eq: undefined } })).toBe(false);
    expect(evalCondition({}, { a: undefined })).toBe(false);
  });

  it('returns false for conditions that are not objects', () => {
    for (const condition of [null, undefined, 1, 'x', [], [{ a: 1 }], new Date(0), /x/]) {
      expect(evalCondition({ a: 1 }, condition as never)).toBe(false);
    }
  });

  it('reads a context that is not an object as an empty one', () => {
    for (const context of [null, undefined, 1, 'x', [{ a: 1 }]]) {
      expect(evalCondition(context as never, { a: null })).toBe(true);
      expect(evalCondition(context as never, { a: 1 })).toBe(false);
    }
  });

  it(`accepts nesting up to the limit and rejects deeper conditions (${MAX_CONDITION_DEPTH})`, () => {
    expect(evalCondition({ a: 1 }, nestedAnd(20))).toBe(true);
    expect(evalCondition({ a: 1 }, nestedAnd(10_000))).toBe(false);
    expect(evalCondition({ a: 1 }, nestedNot(20))).toBe(true);
    expect(evalCondition({ a: 1 }, nestedNot(10_000))).toBe(false);
  });
});

describe('pathological contexts', () => {
  it('does not throw on a getter that throws', () => {
    const context = {
      get country(): string {
        throw new Error('boom');
      },
    };
    expect(evalCondition(context, { country: 'DE' })).toBe(false);
    expect(evalCondition(context, { $nor: [{ country: 'DE' }] })).toBe(false);
  });

  it('does not throw on a revoked proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(evalCondition({ p: proxy }, { 'p.x': 1 })).toBe(false);
    expect(evalCondition(proxy as never, { x: 1 })).toBe(false);
    expect(evalCondition({}, proxy as never)).toBe(false);
  });

  it('bounds deep equality over cyclic and deeply nested values', () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    const b: Record<string, unknown> = {};
    b['self'] = b;
    expect(evalCondition({ v: a }, { v: { $eq: b } })).toBe(false);
    expect(evalCondition({ v: a }, { v: { $eq: a } })).toBe(true);
    let deep: unknown = 1;
    let deepToo: unknown = 1;
    for (let i = 0; i < 10_000; i++) {
      deep = [deep];
      deepToo = [deepToo];
    }
    expect(evalCondition({ v: deep }, { v: deepToo })).toBe(false);
  });

  it('stays fast on a wide shared graph that would explode without a step budget', () => {
    let left: unknown = 1;
    let right: unknown = 1;
    for (let i = 0; i < 40; i++) {
      left = { x: left, y: left };
      right = { x: right, y: right };
    }
    const start = performance.now();
    expect(evalCondition({ v: left }, { v: right })).toBe(false);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('does not hang on long inputs', () => {
    const long = 'a'.repeat(100_000);
    expect(evalCondition({ v: long }, { v: { $vgt: '1.0.0' } })).toBe(false);
    expect(evalCondition({ v: long }, { v: { $gt: 'a' } })).toBe(true);
    expect(evalCondition({ v: long }, { v: { $regex: '^a+$' } })).toBe(true);
  });
});
