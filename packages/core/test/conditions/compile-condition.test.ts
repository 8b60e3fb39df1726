import { describe, expect, it } from 'vitest';
import { compileCondition, evalCondition } from '../../src/conditions';
import { boundedCache } from '../../src/conditions/bounded-cache';
import { compileRegex } from '../../src/conditions/regex-cache';

describe('compileCondition', () => {
  it('returns a reusable function with the semantics of evalCondition', () => {
    const rule = compileCondition({ country: { $in: ['DE', 'FR'] }, 'org.tier': 'Enterprise' });
    expect(rule({ country: 'DE', org: { tier: 'Enterprise' } })).toBe(true);
    expect(rule({ country: 'US', org: { tier: 'Enterprise' } })).toBe(false);
    expect(rule({ country: 'FR', org: [{ tier: 'Free' }, { tier: 'Enterprise' }] })).toBe(true);
  });

  it('takes segments at call time', () => {
    const rule = compileCondition({ $inSegment: 'beta' });
    expect(rule({ id: 1 }, { beta: { id: 1 } })).toBe(true);
    expect(rule({ id: 1 }, { beta: { id: 2 } })).toBe(false);
    expect(rule({ id: 1 })).toBe(false);
  });

  it('compiles an invalid condition to a function that is always false', () => {
    const rule = compileCondition({ a: { $bogus: 1 } });
    expect(rule({ a: 1 })).toBe(false);
    expect(compileCondition(null as never)({})).toBe(false);
  });

  it('keeps the first compilation of a condition object (conditions are immutable)', () => {
    const condition: Record<string, unknown> = { a: 1 };
    expect(evalCondition({ a: 1 }, condition)).toBe(true);
    condition['a'] = 2;
    expect(evalCondition({ a: 1 }, condition)).toBe(true);
    expect(evalCondition({ a: 1 }, { ...condition })).toBe(false);
  });
});

describe('boundedCache', () => {
  it('computes once per key and evicts the oldest entry beyond its capacity', () => {
    let computed = 0;
    const cache = boundedCache(2, (key: string) => {
      computed++;
      return key.length;
    });
    expect(cache('a')).toBe(1);
    expect(cache('a')).toBe(1);
    expect(computed).toBe(1);
    cache('bb');
    cache('ccc');
    expect(computed).toBe(3);
    // 'a' was the oldest of three: evicted, so it is computed again; 'ccc' is still held.
    cache('a');
    expect(computed).toBe(4);
    cache('ccc');
    expect(computed).toBe(4);
  });
});

describe('compileRegex', () => {
  it('caches compiled patterns, failures included, by pattern and flags', () => {
    expect(compileRegex('^a', 'i')).toBe(compileRegex('^a', 'i'));
    expect(compileRegex('^a', 'i')).not.toBe(compileRegex('^a', ''));
    expect(compileRegex('^a', 'mi')).toBe(compileRegex('^a', 'im'));
    expect(compileRegex('(', '')).toBeNull();
    expect(compileRegex('a', 'g')).toBeNull();
  });

  it('keeps compiling correctly past its bound (a stream of distinct patterns)', () => {
    for (let i = 0; i < 5_000; i++)
      expect(compileRegex(`^user-${i}$`, '')?.test(`user-${i}`)).toBe(true);
  });
});
