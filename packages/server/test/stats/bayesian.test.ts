import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareBetaPosteriors,
  compareNormalPosteriors,
  conversionPosterior,
  normalLower,
} from '../../src/stats';
import { factorial, ONE, toNumber } from './support/big-decimal';
import { expectRelative } from './support/close-to';

/**
 * P(T > C) for T ~ Beta(aT, bT), C ~ Beta(aC, bC) with integer parameters, exactly, by the
 * closed-form sum Σ_{i<aT} B(aC + i, bC + bT) / ((bT + i) B(1 + i, bT) B(aC, bC)), each beta
 * function a ratio of factorials, in 220-digit fixed point.
 */
function exactChanceToBeat(aC: number, bC: number, aT: number, bT: number): number {
  // B(x, y) = (x - 1)! (y - 1)! / (x + y - 1)! as [numerator, denominator].
  const beta = (x: number, y: number): [bigint, bigint] => [
    factorial(x - 1) * factorial(y - 1),
    factorial(x + y - 1),
  ];
  let sum = 0n;
  const [controlNum, controlDen] = beta(aC, bC);
  for (let i = 0; i < aT; i++) {
    const [num, den] = beta(aC + i, bC + bT);
    const [iNum, iDen] = beta(1 + i, bT);
    sum += (num * iDen * controlDen * ONE) / (den * BigInt(bT + i) * iNum * controlNum);
  }
  return toNumber(sum);
}

/** E[max(C - T, 0)] by a midpoint rule on a 1,500 × 1,500 grid of the unit square. */
function lossByGrid(aC: number, bC: number, aT: number, bT: number): number {
  const n = 1500;
  const density = (a: number, b: number) => {
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = (i + 0.5) / n;
      values.push(x ** (a - 1) * (1 - x) ** (b - 1));
    }
    const total = values.reduce((s, v) => s + v, 0);
    return values.map((v) => v / total);
  };
  const c = density(aC, bC);
  const t = density(aT, bT);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) loss += c[i]! * t[j]! * ((i - j) / n);
  }
  return loss;
}

describe('compareBetaPosteriors', () => {
  it('uses Beta(1 + conversions, 1 + failures) under a uniform prior', () => {
    expect(conversionPosterior(10, 3)).toEqual({ a: 4, b: 8 });
  });

  it('gives the closed forms for uniform vs Beta(2, 1): 2/3, 1/12 and 1/4', () => {
    // C ~ U(0,1), T density 2t: P(T > C) = ∫ 2t · t dt = 2/3;
    // E[(C - T)+] = ∫₀¹ ∫₀ᶜ (c - t) 2t dt dc = ∫ c³/3 dc = 1/12; E[(T - C)+] = 2/3 - 1/2 + 1/12 = 1/4.
    const result = compareBetaPosteriors({ a: 1, b: 1 }, { a: 2, b: 1 });
    expect(result.treatmentHigher).toBeCloseTo(2 / 3, 12);
    expect(result.treatmentLower).toBeCloseTo(1 / 3, 12);
    expect(result.lossOfTreatment).toBeCloseTo(1 / 12, 12);
    expect(result.lossOfControl).toBeCloseTo(1 / 4, 12);
  });

  it('matches the exact closed-form sum for integer parameters', () => {
    for (const [aC, bC, aT, bT] of [
      [4, 8, 7, 7],
      [41, 161, 56, 156],
      [2, 300, 9, 295],
      [120, 30, 100, 52],
    ] as const) {
      const exact = exactChanceToBeat(aC, bC, aT, bT);
      const result = compareBetaPosteriors({ a: aC, b: bC }, { a: aT, b: bT });
      expectRelative(result.treatmentHigher, exact, 1e-10);
      expectRelative(result.treatmentLower, 1 - exact, 1e-10);
    }
  });

  it('matches a brute-force double integral for the expected losses', () => {
    const result = compareBetaPosteriors({ a: 4, b: 8 }, { a: 7, b: 7 });
    expectRelative(result.lossOfTreatment, lossByGrid(4, 8, 7, 7), 1e-4);
    expectRelative(result.lossOfControl, lossByGrid(7, 7, 4, 8), 1e-4);
    // E[T - C] = 7/14 - 4/12 = lossOfControl - lossOfTreatment.
    expect(result.lossOfControl - result.lossOfTreatment).toBeCloseTo(0.5 - 1 / 3, 12);
  });

  it('agrees with the normal approximation for large counts', () => {
    // 10,000 / 100,000 vs 10,250 / 100,000.
    const control = conversionPosterior(100_000, 10_000);
    const treatment = conversionPosterior(100_000, 10_250);
    const result = compareBetaPosteriors(control, treatment);
    const sd = Math.sqrt((0.1 * 0.9) / 100_000 + (0.1025 * 0.8975) / 100_000);
    expect(result.treatmentHigher).toBeCloseTo(normalLower(0.0025 / sd), 3);
    expect(result.treatmentHigher).toBeGreaterThan(0.9);
  });

  it('handles very unequal arms, extreme rates and huge counts without NaN', () => {
    const cases: [number, number, number, number][] = [
      [1e9, 1e8, 30, 3],
      [30, 0, 1e7, 0],
      [1e6, 1e6, 1e6, 999_000],
      [5, 5, 7, 0],
    ];
    for (const [nc, cc, nt, ct] of cases) {
      const result = compareBetaPosteriors(
        conversionPosterior(nc, cc),
        conversionPosterior(nt, ct),
      );
      for (const value of Object.values(result)) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
      expect(result.treatmentHigher + result.treatmentLower).toBeCloseTo(1, 9);
    }
  });

  it('is antisymmetric in the arms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        (c1, f1, c2, f2) => {
          const a = { a: 1 + c1, b: 1 + f1 };
          const b = { a: 1 + c2, b: 1 + f2 };
          const forward = compareBetaPosteriors(a, b);
          const backward = compareBetaPosteriors(b, a);
          expect(forward.treatmentHigher).toBeCloseTo(backward.treatmentLower, 9);
          expect(forward.lossOfTreatment).toBeCloseTo(backward.lossOfControl, 9);
          expect(forward.treatmentHigher + forward.treatmentLower).toBeCloseTo(1, 9);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('compareNormalPosteriors', () => {
  it('gives 1/2 and σ/√(2π) at no difference', () => {
    const result = compareNormalPosteriors(0, 4);
    expect(result.treatmentHigher).toBe(0.5);
    expect(result.lossOfTreatment).toBeCloseTo(2 / Math.sqrt(2 * Math.PI), 15);
    expect(result.lossOfControl).toBeCloseTo(2 / Math.sqrt(2 * Math.PI), 15);
  });

  it('gives Φ(1), φ(1) - Q(1) and φ(1) + Φ(1) at d = 1, V = 1', () => {
    // Φ(1) = 0.8413447, φ(1) = 0.2419707: losses 0.0833155 and 1.0833155 (they differ by d).
    const result = compareNormalPosteriors(1, 1);
    expect(result.treatmentHigher).toBeCloseTo(0.8413447, 7);
    expect(result.lossOfTreatment).toBeCloseTo(0.0833155, 7);
    expect(result.lossOfControl).toBeCloseTo(1.0833155, 7);
  });
});
