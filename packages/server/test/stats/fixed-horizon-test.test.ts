import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fixedHorizonComparison,
  normalTwoSided,
  relativeLift,
  studentTTwoSided,
  studentTUpperQuantile,
  summarizeVariant,
  welchDegreesOfFreedom,
} from '../../src/stats';
import type { MetricKind } from '../../src/stats';

/** A summary from n, mean and sample variance s²: Σx = n·mean, Σx² = (n - 1)s² + n·mean². */
function fromMoments(n: number, mean: number, variance: number, metric: MetricKind = 'mean') {
  return summarizeVariant(
    { key: 'v', units: n, sum: n * mean, sumSquares: (n - 1) * variance + n * mean * mean },
    metric,
  );
}

const conversions = (units: number, converted: number) =>
  summarizeVariant({ key: 'v', units, sum: converted, sumSquares: converted }, 'conversion');

describe('Welch t-test', () => {
  it('matches a hand-worked example', () => {
    // Control n = 10, mean 5, s² = 4 → Var(ȳc) = 0.4; treatment n = 12, mean 7, s² = 9 → 0.75.
    // SE = √1.15 = 1.0723805; t = 2 / 1.0723805 = 1.8650096;
    // df = 1.15² / (0.4²/9 + 0.75²/11) = 1.3225 / (0.0177778 + 0.0511364) = 1.3225 / 0.0689141 = 19.190546.
    const result = fixedHorizonComparison(
      fromMoments(10, 5, 4),
      fromMoments(12, 7, 9),
      'mean',
      0.95,
    );
    expect(result.test).toBe('welch-t');
    expect(result.statistic).toBeCloseTo(1.8650096, 6);
    expect(result.degreesOfFreedom).toBeCloseTo(19.190546, 5);
    expect(welchDegreesOfFreedom(0.4, 10, 0.75, 12)).toBeCloseTo(19.190546, 5);
    expect(result.pValue).toBeCloseTo(studentTTwoSided(1.8650096, 19.190546), 7);
    expect(result.pValue).toBeGreaterThan(0.05); // |t| is below t_{0.975, 19.19} ≈ 2.09
    expect(result.pValue).toBeLessThan(0.1);
    // Interval: 2 ± t_{0.975, df} · 1.0723805.
    const half = studentTUpperQuantile(0.025, 19.190546) * Math.sqrt(1.15);
    expect(result.absoluteLift.lower).toBeCloseTo(2 - half, 6);
    expect(result.absoluteLift.upper).toBeCloseTo(2 + half, 6);
  });

  it('gives the delta-method interval for the relative lift', () => {
    // r = 7/5 - 1 = 0.4; Var = 0.75/5² + 7² · 0.4 / 5⁴ = 0.03 + 0.03136 = 0.06136;
    // SE = 0.2477095; 95%: 0.4 ± 1.959964 · 0.2477095 = [-0.0855, 0.8855].
    const result = fixedHorizonComparison(
      fromMoments(10, 5, 4),
      fromMoments(12, 7, 9),
      'mean',
      0.95,
    );
    expect(relativeLift({ mean: 5, meanVariance: 0.4 }, { mean: 7, meanVariance: 0.75 })).toEqual({
      estimate: 0.4,
      variance: expect.closeTo(0.06136, 12) as number,
    });
    expect(result.relativeLift.estimate).toBeCloseTo(0.4, 12);
    expect(result.relativeLift.lower).toBeCloseTo(0.4 - 1.959964 * 0.2477095, 5);
    expect(result.relativeLift.upper).toBeCloseTo(0.4 + 1.959964 * 0.2477095, 5);
  });

  it('keeps the sign meaning "treatment larger" for a negative baseline', () => {
    // Control -10, treatment -5: +50% of the baseline's magnitude.
    expect(
      relativeLift({ mean: -10, meanVariance: 1 }, { mean: -5, meanVariance: 1 })?.estimate,
    ).toBe(0.5);
  });
});

describe('two-proportion z-test', () => {
  it('matches a hand-worked example', () => {
    // 100/1000 vs 130/1000: SE² = 0.1 · 0.9 / 1000 + 0.13 · 0.87 / 1000 = 2.031e-4,
    // SE = 0.01425132; z = 0.03 / 0.01425132 = 2.1050688; p = erfc(z/√2) = 0.035283.
    const result = fixedHorizonComparison(
      conversions(1000, 100),
      conversions(1000, 130),
      'conversion',
      0.95,
    );
    expect(result.test).toBe('z');
    expect(result.statistic).toBeCloseTo(2.1050688, 6);
    expect(result.degreesOfFreedom).toBeNull();
    expect(result.pValue).toBeCloseTo(normalTwoSided(2.1050688), 7);
    expect(result.pValue).toBeCloseTo(0.035283, 5);
    expect(result.absoluteLift.lower).toBeCloseTo(0.03 - 1.959964 * 0.01425132, 6);
    // Relative: 0.3 ± 1.959964 · √(1.131e-4 / 0.01 + 1.69 · 9e-5 / 0.01) = 0.3 ± 1.959964 · 0.1626
    expect(result.relativeLift.estimate).toBeCloseTo(0.3, 12);
    expect(result.relativeLift.upper).toBeCloseTo(0.3 + 1.959964 * Math.sqrt(0.01131 + 0.01521), 5);
  });

  it('keeps p-values accurate far below 1e-16', () => {
    // 10% vs 20% with 100,000 units each: z ≈ 63.7, p ≈ 1e-880 underflows to 0, and at 2,000
    // units, z = 0.1 / √(0.09/2000 + 0.16/2000) = 8.944272, p = 3.7e-19 from erfc.
    const result = fixedHorizonComparison(
      conversions(2000, 200),
      conversions(2000, 400),
      'conversion',
      0.95,
    );
    expect(result.statistic).toBeCloseTo(8.944272, 5);
    expect(result.pValue).toBeCloseTo(normalTwoSided(8.944272), 24);
    expect(result.pValue).toBeLessThan(1e-18);
    expect(result.pValue).toBeGreaterThan(0);
  });

  it('puts 0 outside the interval exactly when p < α', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 5000 }),
        fc.integer({ min: 5, max: 5000 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.constantFrom<MetricKind>('conversion', 'mean'),
        (nc, nt, pc, pt, metric) => {
          const control =
            metric === 'conversion' ? conversions(nc, Math.round(nc * pc)) : fromMoments(nc, pc, 1);
          const treatment =
            metric === 'conversion' ? conversions(nt, Math.round(nt * pt)) : fromMoments(nt, pt, 2);
          const result = fixedHorizonComparison(control, treatment, metric, 0.9);
          if (result.pValue === null) return;
          const { lower, upper } = result.absoluteLift;
          const excludesZero = lower! > 0 || upper! < 0;
          if (Math.abs(result.pValue - 0.1) > 1e-9) expect(excludesZero).toBe(result.pValue < 0.1);
        },
      ),
    );
  });
});

describe('degenerate comparisons', () => {
  it('flags zero variance in both arms instead of a p-value', () => {
    const result = fixedHorizonComparison(
      conversions(50, 0),
      conversions(50, 0),
      'conversion',
      0.95,
    );
    expect(result).toMatchObject({
      pValue: null,
      statistic: null,
      flags: ['few-conversions', 'zero-baseline', 'zero-variance'],
    });
    expect(result.absoluteLift).toEqual({ estimate: 0, lower: null, upper: null });
  });

  it('flags missing data and a zero baseline', () => {
    const empty = summarizeVariant(undefined, 'mean');
    expect(fixedHorizonComparison(empty, fromMoments(10, 1, 1), 'mean', 0.95).flags).toEqual([
      'insufficient-data',
    ]);
    const zeroBaseline = fixedHorizonComparison(
      fromMoments(10, 0, 1),
      fromMoments(10, 1, 1),
      'mean',
      0.95,
    );
    expect(zeroBaseline.flags).toEqual(['zero-baseline']);
    expect(zeroBaseline.relativeLift).toEqual({ estimate: null, lower: null, upper: null });
    expect(zeroBaseline.pValue).not.toBeNull();
  });
});
