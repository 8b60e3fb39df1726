import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalUpper,
  studentTLower,
  studentTTwoSided,
  studentTUpper,
  studentTUpperQuantile,
} from '../../src/stats/numerics';
import { expectRelative } from './support/close-to';

/**
 * P(T > t) by Simpson's rule with 20,000 intervals on x = t/u, u ∈ (0, 1]:
 * ∫ₜ^∞ c (1 + x²/ν)^(-(ν+1)/2) dx = ∫₀¹ c (1 + t²/(ν u²))^(-(ν+1)/2) t / u² du.
 */
function tailBySimpson(t: number, df: number, constant: number): number {
  const f = (u: number): number =>
    u === 0 ? 0 : (constant * t * (1 + (t * t) / (df * u * u)) ** (-(df + 1) / 2)) / (u * u);
  const n = 20_000;
  const h = 1 / n;
  let sum = f(0) + f(1);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

describe('Student t tails', () => {
  it('is the Cauchy tail atan(1/t)/π at df = 1, down to 1e-30', () => {
    for (const t of [0.1, 1, 12.7, 1e4, 3e29]) {
      expectRelative(studentTUpper(t, 1), Math.atan(1 / t) / Math.PI, 1e-13);
    }
    expect(studentTUpper(3e29, 1)).toBeLessThan(1.1e-30);
  });

  it('is 1/(s(s + t)) with s = √(2 + t²) at df = 2, down to 1e-30', () => {
    for (const t of [0.01, 0.5, 2, 40, 1e15]) {
      const s = Math.sqrt(2 + t * t);
      expectRelative(studentTUpper(t, 2), 1 / (s * (s + t)), 1e-13);
    }
  });

  it('agrees with numerical integration of the density at df = 5 and df = 10', () => {
    // c₅ = Γ(3) / (√(5π) Γ(5/2)) = 8 / (3π√5);  c₁₀ = Γ(11/2) / (√(10π) Γ(5)) = 945 / (768√10).
    const constants: [number, number][] = [
      [5, 8 / (3 * Math.PI * Math.sqrt(5))],
      [10, 945 / (768 * Math.sqrt(10))],
    ];
    for (const [df, constant] of constants) {
      for (const t of [0.5, 2, 5, 30, 5000]) {
        expectRelative(studentTUpper(t, df), tailBySimpson(t, df, constant), 1e-9);
      }
    }
    expect(studentTTwoSided(5000, 10)).toBeLessThan(1e-30);
  });

  it('approaches the normal tail as df grows', () => {
    for (const z of [1, 3, 6]) expectRelative(studentTUpper(z, 1e12), normalUpper(z), 1e-9);
    expect(studentTUpper(2, Number.POSITIVE_INFINITY)).toBe(normalUpper(2));
    // At t = 20 the tails differ by a factor 1 + (t⁴ + ...)/(4ν) ≈ 1 + 4e-8 even at ν = 1e12:
    // the huge-df branch keeps that, where a cancelling continued fraction lost 6 digits.
    const ratio = studentTUpper(20, 1e12) / normalUpper(20);
    expect(ratio - 1).toBeGreaterThan(3.9e-8);
    expect(ratio - 1).toBeLessThan(4.3e-8);
  });

  it('has lower + upper = 1 and two-sided = 2 · upper for t ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0.5, max: 1e7, noNaN: true }),
        (t, df) => {
          expect(studentTLower(t, df) + studentTUpper(t, df)).toBeCloseTo(1, 14);
          expect(studentTTwoSided(t, df)).toBeCloseTo(2 * studentTUpper(Math.abs(t), df), 14);
        },
      ),
    );
  });
});

describe('studentTUpperQuantile', () => {
  it('matches closed forms at df = 1 and df = 2, and tabulated values', () => {
    for (const q of [0.4, 0.025, 1e-6, 1e-20]) {
      expectRelative(studentTUpperQuantile(q, 1), 1 / Math.tan(Math.PI * q), 1e-13); // cot(πq)
      expectRelative(studentTUpperQuantile(q, 2), (1 - 2 * q) / Math.sqrt(2 * q * (1 - q)), 1e-13);
    }
    expectRelative(studentTUpperQuantile(0.025, 10), 2.228138851986274, 1e-13);
    expectRelative(studentTUpperQuantile(0.025, 30), 2.042272456301238, 1e-13);
  });

  it('inverts the upper tail', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: Math.log10(0.5), noNaN: true }),
        fc.double({ min: 0.5, max: 1e8, noNaN: true }),
        (exponent, df) => {
          const q = 10 ** exponent;
          expectRelative(studentTUpper(studentTUpperQuantile(q, df), df), q, 1e-11);
        },
      ),
    );
  });

  it('is symmetric and 0 at the median', () => {
    expect(studentTUpperQuantile(0.5, 7)).toBe(0);
    expect(studentTUpperQuantile(0.975, 7)).toBeCloseTo(-studentTUpperQuantile(0.025, 7), 13);
  });
});
