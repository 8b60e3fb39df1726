import { describe, expect, it } from 'vitest';
import { MAX_SEGMENT_CHAIN, evalCondition } from '../../src/conditions';
import type { Condition } from '../../src/schema/condition';

const segments: Record<string, Condition> = {
  internal: { email: { $regex: '@switchyard\\.dev$' } },
  europe: { country: { $in: ['DE', 'FR', 'AT'] } },
  europeanPro: { $inSegment: 'europe', plan: 'pro' },
  notInternal: { $notInSegment: 'internal' },
};

const ann = { email: 'ann@switchyard.dev', country: 'DE', plan: 'pro' };
const bob = { email: 'bob@example.com', country: 'US', plan: 'pro' };

describe('$inSegment and $notInSegment', () => {
  it('evaluates the segment against the same context', () => {
    expect(evalCondition(ann, { $inSegment: 'internal' }, segments)).toBe(true);
    expect(evalCondition(bob, { $inSegment: 'internal' }, segments)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'internal' }, segments)).toBe(false);
    expect(evalCondition(bob, { $notInSegment: 'internal' }, segments)).toBe(true);
  });

  it('reads a list of keys as any-of for $inSegment and none-of for $notInSegment', () => {
    expect(evalCondition(bob, { $inSegment: ['internal', 'europe'] }, segments)).toBe(false);
    expect(
      evalCondition({ ...bob, country: 'FR' }, { $inSegment: ['internal', 'europe'] }, segments),
    ).toBe(true);
    expect(evalCondition(bob, { $notInSegment: ['internal', 'europe'] }, segments)).toBe(true);
    expect(evalCondition(ann, { $notInSegment: ['europe', 'internal'] }, segments)).toBe(false);
  });

  it('lets segments reference segments', () => {
    expect(evalCondition(ann, { $inSegment: 'europeanPro' }, segments)).toBe(true);
    expect(evalCondition({ ...ann, plan: 'free' }, { $inSegment: 'europeanPro' }, segments)).toBe(
      false,
    );
    expect(evalCondition(bob, { $inSegment: 'notInternal' }, segments)).toBe(true);
  });

  it('combines with fields and logical operators', () => {
    const condition = { plan: 'pro', $or: [{ $inSegment: 'internal' }, { country: 'US' }] };
    expect(evalCondition(ann, condition, segments)).toBe(true);
    expect(evalCondition(bob, condition, segments)).toBe(true);
    expect(evalCondition({ ...bob, country: 'CA' }, condition, segments)).toBe(false);
    expect(evalCondition(bob, { $nor: [{ $inSegment: 'internal' }] }, segments)).toBe(true);
  });

  it('evaluates segments against the top-level context inside $elemMatch', () => {
    const condition = { orders: { $elemMatch: { sku: 'A', $inSegment: 'europe' } } };
    expect(evalCondition({ ...ann, orders: [{ sku: 'A' }] }, condition, segments)).toBe(true);
    expect(evalCondition({ ...bob, orders: [{ sku: 'A' }] }, condition, segments)).toBe(false);
  });

  it('fails closed on a missing segment: both operators are false, even under $nor', () => {
    expect(evalCondition(ann, { $inSegment: 'gone' }, segments)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'gone' }, segments)).toBe(false);
    expect(evalCondition(ann, { $nor: [{ $inSegment: 'gone' }] }, segments)).toBe(false);
    expect(evalCondition(ann, { $inSegment: 'internal' })).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'internal' })).toBe(false);
  });

  it('never finds a segment on the prototype chain', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(evalCondition(ann, { $inSegment: key }, segments)).toBe(false);
      expect(evalCondition(ann, { $notInSegment: key }, segments)).toBe(false);
    }
  });

  it('fails closed on an invalid segment condition', () => {
    const broken = { ...segments, bad: { country: { $bogus: 1 } }, notObject: 'DE' as never };
    expect(evalCondition(ann, { $inSegment: 'bad' }, broken)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'bad' }, broken)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'notObject' }, broken)).toBe(false);
  });

  it('detects cycles without throwing and makes the condition false', () => {
    const cyclic: Record<string, Condition> = {
      self: { $inSegment: 'self' },
      liar: { $notInSegment: 'liar' },
      a: { $or: [{ country: 'DE' }, { $inSegment: 'b' }] },
      b: { $inSegment: 'a' },
    };
    expect(evalCondition(ann, { $inSegment: 'self' }, cyclic)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'self' }, cyclic)).toBe(false);
    expect(evalCondition(ann, { $inSegment: 'liar' }, cyclic)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: 'liar' }, cyclic)).toBe(false);
    // ann matches `a` before the cycle is reached; bob reaches it.
    expect(evalCondition(ann, { $inSegment: 'b' }, cyclic)).toBe(true);
    expect(evalCondition(bob, { $inSegment: 'b' }, cyclic)).toBe(false);
    expect(evalCondition(bob, { $nor: [{ $inSegment: 'b' }] }, cyclic)).toBe(false);
  });

  it('allows the same segment twice side by side (a diamond is not a cycle)', () => {
    const diamond: Record<string, Condition> = {
      base: { plan: 'pro' },
      left: { $inSegment: 'base' },
      right: { $inSegment: 'base' },
      top: { $and: [{ $inSegment: 'left' }, { $inSegment: 'right' }] },
    };
    expect(evalCondition(ann, { $inSegment: 'top' }, diamond)).toBe(true);
  });

  it('bounds the chain of nested segments', () => {
    const chain: Record<string, Condition> = { s0: { plan: 'pro' } };
    for (let i = 1; i <= MAX_SEGMENT_CHAIN + 1; i++) chain[`s${i}`] = { $inSegment: `s${i - 1}` };
    expect(evalCondition(ann, { $inSegment: `s${MAX_SEGMENT_CHAIN - 1}` }, chain)).toBe(true);
    expect(evalCondition(ann, { $inSegment: `s${MAX_SEGMENT_CHAIN + 1}` }, chain)).toBe(false);
  });

  it('makes the condition false for a malformed key operand', () => {
    expect(evalCondition(ann, { $inSegment: [] }, segments)).toBe(false);
    expect(evalCondition(ann, { $inSegment: 1 }, segments)).toBe(false);
    expect(evalCondition(ann, { $inSegment: ['europe', 1] }, segments)).toBe(false);
    expect(evalCondition(ann, { $notInSegment: null }, segments)).toBe(false);
  });

  it('sees a changed segments record on the next evaluation', () => {
    const condition = { $inSegment: 'europe' };
    expect(evalCondition(bob, condition, segments)).toBe(false);
    expect(evalCondition(bob, condition, { europe: { country: 'US' } })).toBe(true);
  });
});
