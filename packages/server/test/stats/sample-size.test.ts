import { describe, expect, it } from 'vitest';
import { normalUpperQuantile, sampleSize } from '../../src/stats';

describe('sampleSize', () => {
  it('needs 3,841 per arm for 10% → 12% at α = 0.05, power 0.8 (pooled/unpooled formula)', () => {
    // z_{0.025} = 1.959964, z_{0.2} = 0.841621, p̄ = 0.11:
    // n = [1.959964 √(2 · 0.11 · 0.89) + 0.841621 √(0.1 · 0.9 + 0.12 · 0.88)]² / 0.02²
    //   = [1.959964 · 0.442493 + 0.841621 · 0.442267]² / 0.0004 = 1.239492² / 0.0004 = 3840.85.
    const zA = normalUpperQuantile(0.025);
    const zB = normalUpperQuantile(0.2);
    const n = (zA * Math.sqrt(2 * 0.11 * 0.89) + zB * Math.sqrt(0.09 + 0.12 * 0.88)) ** 2 / 0.0004;
    expect(n).toBeCloseTo(3840.85, 1);
    const result = sampleSize({
      baseline: 0.1,
      minimumDetectableEffect: 0.02,
      effectType: 'absolute',
    });
    expect(result.perVariant).toEqual([Math.ceil(n), Math.ceil(n)]);
    expect(result.perVariant).toEqual([3841, 3841]);
    expect(result.total).toBe(7682);
    expect(result.treatmentBaseline).toBeCloseTo(0.12, 15);
  });

  it('reads a relative effect as a fraction of the baseline', () => {
    const relative = sampleSize({ baseline: 0.1, minimumDetectableEffect: 0.2 });
    expect(relative.perVariant).toEqual([3841, 3841]);
  });

  it('sizes a mean metric with n = 2 (z_α + z_β)² σ² / δ² per arm', () => {
    // σ = 10, δ = 1: 2 · (1.959964 + 0.841621)² · 100 = 2 · 7.848879 · 100 = 1569.78 → 1570.
    const result = sampleSize({
      metric: 'mean',
      baseline: 50,
      standardDeviation: 10,
      minimumDetectableEffect: 1,
      effectType: 'absolute',
    });
    expect(result.perVariant).toEqual([1570, 1570]);
  });

  it('splits alpha over the treatments and follows unequal weights', () => {
    // A mean metric with σ = 1 and δ = 0.1 absolute, varying only the arms.
    const plan = (weights: number[], correctForMultipleComparisons = true) =>
      sampleSize({
        metric: 'mean',
        baseline: 0,
        standardDeviation: 1,
        minimumDetectableEffect: 0.1,
        effectType: 'absolute',
        weights,
        correctForMultipleComparisons,
      }).perVariant;
    // α/2 per comparison: z_{0.0125} = 2.241403; 2 · (2.241403 + 0.841621)² / 0.01
    // = 2 · 3.083024² / 0.01 = 1901.01 → 1902.
    const n = (2 * (normalUpperQuantile(0.0125) + normalUpperQuantile(0.2)) ** 2) / 0.01;
    expect(n).toBeCloseTo(1901.01, 1);
    expect(plan([1, 1, 1])).toEqual([1902, 1902, 1902]);
    expect(plan([1, 1, 1], false)).toEqual([1570, 1570, 1570]);
    // 3:1 split: N = 7.848879 · (1/0.75 + 1/0.25) / 0.01 = 4186.07 → 3140 and 1047.
    expect(plan([3, 1])).toEqual([3140, 1047]);
  });

  it('flags impossible requests instead of returning a number', () => {
    expect(sampleSize({ baseline: 0, minimumDetectableEffect: 0.1 }).flags).toEqual([
      'effect-out-of-range',
    ]);
    expect(
      sampleSize({ baseline: 0.95, minimumDetectableEffect: 0.1, effectType: 'absolute' }).flags,
    ).toEqual(['effect-out-of-range']);
    expect(sampleSize({ baseline: 0.1, minimumDetectableEffect: 0 }).flags).toEqual([
      'invalid-input',
    ]);
    expect(sampleSize({ metric: 'mean', baseline: 5, minimumDetectableEffect: 1 })).toMatchObject({
      perVariant: null,
      total: null,
      flags: ['invalid-input'],
    });
  });
});
