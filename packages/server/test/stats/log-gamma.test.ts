import { describe, expect, it } from 'vitest';
import { logBeta, logGamma } from '../../src/stats/numerics';
import { factorial, logRatio } from './support/big-decimal';

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

describe('logGamma', () => {
  it('equals ln((n - 1)!) at integers, from exact factorials', () => {
    for (const n of [1, 2, 3, 5, 10, 20, 50, 100, 171, 1000]) {
      const exact = logRatio(factorial(n - 1), 1n);
      expect(Math.abs(logGamma(n) - exact)).toBeLessThanOrEqual(1e-14 * Math.max(1, exact));
    }
  });

  it('equals ln((2n)! √π / (4ⁿ n!)) at n + 1/2', () => {
    for (const n of [0, 1, 2, 7, 30, 200]) {
      const exact = logRatio(factorial(2 * n), 4n ** BigInt(n) * factorial(n)) + LOG_SQRT_PI;
      expect(Math.abs(logGamma(n + 0.5) - exact)).toBeLessThanOrEqual(1e-14 * Math.max(1, exact));
    }
  });

  it('uses the reflection formula below 1/2: Γ(1/4)Γ(3/4) = π√2', () => {
    expect(logGamma(0.25) + logGamma(0.75)).toBeCloseTo(Math.log(Math.PI * Math.SQRT2), 14);
  });

  it('is NaN outside its domain', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('logBeta', () => {
  /** B(a, b) = (a-1)!(b-1)!/(a+b-1)! for integers. */
  const exactIntegerLogBeta = (a: number, b: number): number =>
    logRatio(factorial(a - 1) * factorial(b - 1), factorial(a + b - 1));
  /** B(n, 1/2) = 4ⁿ n! (n-1)! / (2n)!. */
  const exactHalfLogBeta = (n: number): number =>
    logRatio(4n ** BigInt(n) * factorial(n) * factorial(n - 1), factorial(2 * n));

  it('is exact to 1e-14 of its size for small, mixed and large integer arguments', () => {
    for (const [a, b] of [
      [1, 1],
      [2, 3],
      [9, 9],
      [3, 40],
      [12, 15],
      [200, 300],
      [1, 2000],
      [1500, 2500],
    ] as const) {
      const exact = exactIntegerLogBeta(a, b);
      expect(Math.abs(logBeta(a, b) - exact)).toBeLessThan(1e-14 * Math.max(1, Math.abs(exact)));
    }
  });

  it('is accurate in absolute terms for B(n, 1/2) with n in the thousands (Student t)', () => {
    for (const n of [1, 5, 10, 11, 100, 3000]) {
      expect(Math.abs(logBeta(n, 0.5) - exactHalfLogBeta(n))).toBeLessThan(1e-14);
      expect(Math.abs(logBeta(0.5, n) - exactHalfLogBeta(n))).toBeLessThan(1e-14);
    }
  });

  it('gives ln B(a, 1) = -ln a for huge a', () => {
    for (const a of [1e6, 1e9, 1e12]) expect(logBeta(a, 1)).toBeCloseTo(-Math.log(a), 12);
  });
});
