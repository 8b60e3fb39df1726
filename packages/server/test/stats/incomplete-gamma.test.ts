import { describe, expect, it } from 'vitest';
import { chiSquareUpper, incompleteGamma } from '../../src/stats/numerics';
import { erfcReference } from './support/big-decimal';
import { expectRelative } from './support/close-to';

/** Q(n, x) for integer n: e⁻ˣ Σ_{i<n} xⁱ / i! (a Poisson tail), all terms positive. */
function poissonSum(n: number, x: number): number {
  let term = 1;
  let sum = 1;
  for (let i = 1; i < n; i++) {
    term *= x / i;
    sum += term;
  }
  return Math.exp(-x) * sum;
}

describe('incompleteGamma', () => {
  it('equals the Poisson sum for integer a, on both sides of x = a + 1', () => {
    for (const a of [1, 2, 5, 20, 60]) {
      for (const x of [0.5, 3, a, a + 2, 2 * a + 10, 100]) {
        expectRelative(incompleteGamma(a, x).upper, poissonSum(a, x), 1e-13);
      }
    }
  });

  it('keeps the lower tail accurate for small x: P(1, x) = 1 - e⁻ˣ', () => {
    for (const x of [1e-12, 1e-6, 0.01, 0.7]) {
      expectRelative(incompleteGamma(1, x).lower, -Math.expm1(-x), 1e-14);
    }
  });

  it('equals erfc(√x) at a = 1/2 and erfc(√x) + 2√(x/π) e⁻ˣ at a = 3/2', () => {
    for (const [p, q] of [
      [1n, 4n],
      [3n, 2n],
      [5n, 1n],
      [33n, 4n],
    ] as const) {
      const root = Number(p) / Number(q);
      const x = root * root;
      const erfcRoot = erfcReference(p, q);
      expectRelative(incompleteGamma(0.5, x).upper, erfcRoot, 1e-13);
      expectRelative(
        incompleteGamma(1.5, x).upper,
        erfcRoot + 2 * Math.sqrt(x / Math.PI) * Math.exp(-x),
        1e-13,
      );
    }
  });
});

describe('chiSquareUpper', () => {
  it('matches the closed form for even degrees of freedom, down to 1e-30', () => {
    for (const df of [2, 4, 10, 30]) {
      for (const x of [0.5, 3.84, 20, 150]) {
        expectRelative(chiSquareUpper(x, df), poissonSum(df / 2, x / 2), 1e-13);
      }
    }
    expect(chiSquareUpper(150, 4)).toBeLessThan(1e-30);
    expectRelative(chiSquareUpper(150, 4), 76 * Math.exp(-75), 1e-13);
  });

  it('gives the textbook 5% critical values', () => {
    expect(chiSquareUpper(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chiSquareUpper(5.991464547107979, 2)).toBeCloseTo(0.05, 14);
  });

  it('is 1 at x = 0 and never NaN at infinity', () => {
    expect(chiSquareUpper(0, 3)).toBe(1);
    expect(chiSquareUpper(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });
});
