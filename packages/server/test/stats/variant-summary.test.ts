import { describe, expect, it } from 'vitest';
import { summarizeVariant } from '../../src/stats';

const stats = (units: number, sum: number, sumSquares: number, conversions?: number) => ({
  key: 'v',
  units,
  sum,
  sumSquares,
  ...(conversions === undefined ? {} : { conversions }),
});

describe('summarizeVariant', () => {
  it('gives a conversion rate, its unbiased variance and the binomial variance of the mean', () => {
    // p = 20/100 = 0.2; s² = 100/99 · 0.2 · 0.8 = 0.161616; Var(p̂) = 0.16/100 = 0.0016.
    const summary = summarizeVariant(stats(100, 20, 20), 'conversion');
    expect(summary.mean).toBe(0.2);
    expect(summary.variance).toBeCloseTo(0.16 * (100 / 99), 15);
    expect(summary.meanVariance).toBeCloseTo(0.0016, 15);
    expect(summary.flags).toEqual([]);
  });

  it('takes conversions over sum when both are given', () => {
    expect(summarizeVariant(stats(10, 99, 99, 4), 'conversion').mean).toBe(0.4);
  });

  it('gives the mean and unbiased variance of values from Σx and Σx²', () => {
    // Values 1001, 1002, 1003, 1006: mean 1003, deviations -2 -1 0 3, Σd² = 14, s² = 14/3.
    const values = [1001, 1002, 1003, 1006];
    const sum = values.reduce((a, b) => a + b, 0);
    const sumSquares = values.reduce((a, b) => a + b * b, 0);
    const summary = summarizeVariant(stats(4, sum, sumSquares), 'mean');
    expect(summary.mean).toBe(1003);
    expect(summary.variance).toBeCloseTo(14 / 3, 9);
    expect(summary.meanVariance).toBeCloseTo(14 / 12, 9);
  });

  it('reports an unresolvable variance as zero and flagged, not as rounding noise', () => {
    // 1e9 + {1, 2, 3}: Σx² ≈ 3e18 is rounded by ±256 in doubles while the true Σd² is 2.
    const values = [1e9 + 1, 1e9 + 2, 1e9 + 3];
    const sum = values.reduce((a, b) => a + b, 0);
    const sumSquares = values.reduce((a, b) => a + b * b, 0);
    const summary = summarizeVariant(stats(3, sum, sumSquares), 'mean');
    expect(summary.variance).toBe(0);
    expect(summary.flags).toEqual(['zero-variance']);
  });

  it('flags no units, one unit, and constant values', () => {
    expect(summarizeVariant(undefined, 'mean')).toMatchObject({
      units: 0,
      mean: null,
      variance: null,
      flags: ['no-units'],
    });
    expect(summarizeVariant(stats(1, 5, 25), 'mean')).toMatchObject({
      mean: 5,
      variance: null,
      meanVariance: null,
      flags: ['one-unit'],
    });
    expect(summarizeVariant(stats(3, 15, 75), 'count')).toMatchObject({
      mean: 5,
      variance: 0,
      flags: ['zero-variance'],
    });
  });

  it('flags conversion rates of 0 and 1 and small counts', () => {
    expect(summarizeVariant(stats(50, 0, 0), 'conversion').flags).toEqual([
      'no-conversions',
      'few-conversions',
      'zero-variance',
    ]);
    expect(summarizeVariant(stats(50, 50, 50), 'conversion').flags).toEqual([
      'all-conversions',
      'few-conversions',
      'zero-variance',
    ]);
  });

  it('flags impossible statistics as invalid', () => {
    const invalid = { mean: null, variance: null, flags: ['invalid-stats'] };
    expect(summarizeVariant(stats(10, 11, 11), 'conversion')).toMatchObject(invalid);
    expect(summarizeVariant(stats(-1, 0, 0), 'mean')).toMatchObject(invalid);
    expect(summarizeVariant(stats(Number.NaN, 0, 0), 'mean')).toMatchObject(invalid);
    expect(summarizeVariant(stats(10, 100, 10), 'mean')).toMatchObject(invalid); // Σx² < (Σx)²/n
    expect(summarizeVariant(stats(10, -5, 10), 'count')).toMatchObject(invalid);
    expect(summarizeVariant(stats(0, 3, 9), 'mean')).toMatchObject(invalid);
    expect(summarizeVariant(stats(10, Number.POSITIVE_INFINITY, 1), 'mean')).toMatchObject(invalid);
  });

  it('accepts negative values for a mean metric', () => {
    // Values -1, -3: mean -2, s² = 2.
    expect(summarizeVariant(stats(2, -4, 10), 'mean')).toMatchObject({ mean: -2, variance: 2 });
  });
});
