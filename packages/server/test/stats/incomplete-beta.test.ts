import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incompleteBeta } from '../../src/stats/numerics';
import { ONE, toNumber } from './support/big-decimal';
import { expectRelative } from './support/close-to';

/** C(n, j) as a BigInt. */
function binomial(n: number, j: number): bigint {
  let result = 1n;
  for (let i = 1; i <= j; i++) result = (result * BigInt(n - j + i)) / BigInt(i);
  return result;
}

/**
 * For integer a and b, I_x(a, b) = P(Binomial(a + b - 1, x) ≥ a). With x = k/64 both tails are
 * exact rationals over 64^(a+b-1); reduced here to 220 digits.
 */
function binomialTails(k: number, a: number, b: number): { lower: number; upper: number } {
  const n = a + b - 1;
  let lower = 0n;
  let upper = 0n;
  for (let j = 0; j <= n; j++) {
    const term = binomial(n, j) * BigInt(k) ** BigInt(j) * BigInt(64 - k) ** BigInt(n - j);
    if (j >= a) lower += term;
    else upper += term;
  }
  const denominator = 64n ** BigInt(n);
  return {
    lower: toNumber((lower * ONE) / denominator),
    upper: toNumber((upper * ONE) / denominator),
  };
}

describe('incompleteBeta', () => {
  it('is xᵃ when b = 1 and has upper tail (1 - x)ᵇ when a = 1', () => {
    for (const a of [0.5, 2.5, 30, 1000]) {
      for (const x of [1e-6, 0.1, 0.5, 0.9, 0.999]) {
        expectRelative(incompleteBeta(x, a, 1).lower, x ** a, 1e-13);
        expectRelative(incompleteBeta(x, 1, a).upper, (1 - x) ** a, 1e-13);
      }
    }
  });

  it('matches exact binomial sums for integer a and b, both tails, down to 1e-30', () => {
    const cases: [number, number, number][] = [
      [16, 2, 3],
      [32, 5, 5],
      [8, 12, 7],
      [3, 40, 40],
      [61, 40, 40],
      [20, 1, 60],
      [63, 60, 2],
    ];
    for (const [k, a, b] of cases) {
      const exact = binomialTails(k, a, b);
      const actual = incompleteBeta(k / 64, a, b);
      expectRelative(actual.lower, exact.lower, 1e-12);
      expectRelative(actual.upper, exact.upper, 1e-12);
    }
    expect(binomialTails(3, 40, 40).lower).toBeLessThan(1e-30);
    expect(binomialTails(61, 40, 40).upper).toBeLessThan(1e-30);
  });

  it('swaps tails under x ↔ 1 - x, a ↔ b', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        (x, a, b) => {
          const forward = incompleteBeta(x, a, b);
          const mirrored = incompleteBeta(1 - x, b, a, x);
          expect(forward.lower).toBeCloseTo(mirrored.upper, 12);
          expect(forward.lower + forward.upper).toBeCloseTo(1, 14);
          expect(forward.lower).toBeGreaterThanOrEqual(0);
          expect(forward.upper).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('clamps x outside (0, 1) and returns NaN for non-positive shape parameters', () => {
    expect(incompleteBeta(0, 2, 3)).toEqual({ lower: 0, upper: 1 });
    expect(incompleteBeta(1, 2, 3)).toEqual({ lower: 1, upper: 0 });
    expect(incompleteBeta(0.5, 0, 3).lower).toBeNaN();
  });
});
