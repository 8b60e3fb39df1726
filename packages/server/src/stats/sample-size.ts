import { normalUpperQuantile } from './numerics';
import type { MetricKind } from './types';

/** What a sample-size suggestion needs. */
export interface SampleSizeInput {
  /** Default `conversion`. */
  metric?: MetricKind;
  /** Control's expected conversion rate (in (0, 1)) or mean. */
  baseline: number;
  /** Per-unit standard deviation; required for `mean` and `count`. */
  standardDeviation?: number;
  /** Smallest effect worth detecting, > 0. */
  minimumDetectableEffect: number;
  /**
   * `relative` (default): the effect is a fraction of the baseline (0.2 = +20%);
   * `absolute`: in metric units (0.02 = two percentage points for a rate).
   */
  effectType?: 'relative' | 'absolute';
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Power against the effect, default 0.8. */
  power?: number;
  /** Variant weights, control first; default two equal arms. */
  weights?: readonly number[];
  /**
   * With more than one treatment, split alpha over the comparisons (Bonferroni, Holm's worst
   * case), default true.
   */
  correctForMultipleComparisons?: boolean;
}

/** A suggested sample size, or nulls and the reason. */
export interface SampleSize {
  /** Units per variant, in the order of the weights. */
  perVariant: number[] | null;
  /** Σ perVariant: the experiment's targetSampleSize. */
  total: number | null;
  /** The rate or mean the treatment is assumed to reach. */
  treatmentBaseline: number | null;
  flags: ('invalid-input' | 'effect-out-of-range')[];
}

/**
 * Units needed to detect the effect with a two-sided test, by the normal approximation. For a
 * treatment with share f_t and control with share f_c of N units, difference δ:
 * - conversion (variance pooled under H₀, unpooled under H₁; Fleiss without continuity
 *   correction): N = [z_{α/2} √(p̄q̄ (1/f_c + 1/f_t)) + z_β √(p_c q_c/f_c + p_t q_t/f_t)]² / δ²,
 *   p̄ = (f_c p_c + f_t p_t)/(f_c + f_t). Equal arms: n per arm = N/2 — for p_c = 0.10, δ = 0.02,
 *   α = 0.05, power 0.8 that is 3,841.
 * - mean or count (common σ): N = (z_{α/2} + z_β)² σ² (1/f_c + 1/f_t) / δ².
 * N is the largest over the treatments; each arm gets ⌈N · share⌉.
 */
export function sampleSize(input: SampleSizeInput): SampleSize {
  const metric = input.metric ?? 'conversion';
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const weights = input.weights ?? [1, 1];
  const none = (flag: SampleSize['flags'][number]): SampleSize => ({
    perVariant: null,
    total: null,
    treatmentBaseline: null,
    flags: [flag],
  });
  const { baseline, minimumDetectableEffect: effect } = input;
  const sd = input.standardDeviation;
  if (
    !(alpha > 0 && alpha < 1) ||
    !(power > 0 && power < 1) ||
    weights.length < 2 ||
    !weights.every((w) => w > 0 && Number.isFinite(w)) ||
    !Number.isFinite(baseline) ||
    !(effect > 0 && Number.isFinite(effect)) ||
    (metric !== 'conversion' && !(sd !== undefined && sd > 0 && Number.isFinite(sd)))
  ) {
    return none('invalid-input');
  }
  if (metric === 'conversion' && !(baseline > 0 && baseline < 1))
    return none('effect-out-of-range');
  const delta = input.effectType === 'absolute' ? effect : effect * Math.abs(baseline);
  const treated = baseline + delta;
  if (delta === 0 || (metric === 'conversion' && treated >= 1)) return none('effect-out-of-range');
  const comparisons = weights.length - 1;
  const split = (input.correctForMultipleComparisons ?? true) ? comparisons : 1;
  const zAlpha = normalUpperQuantile(alpha / (2 * split));
  const zBeta = normalUpperQuantile(1 - power);
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / weightTotal);
  const fc = shares[0]!;
  let needed = 0;
  for (const ft of shares.slice(1)) {
    let units: number;
    if (metric === 'conversion') {
      const pooled = (fc * baseline + ft * treated) / (fc + ft);
      const null0 = Math.sqrt(pooled * (1 - pooled) * (1 / fc + 1 / ft));
      const alternative = Math.sqrt(
        (baseline * (1 - baseline)) / fc + (treated * (1 - treated)) / ft,
      );
      const numerator = zAlpha * null0 + zBeta * alternative;
      units = (numerator * numerator) / (delta * delta);
    } else {
      const z = zAlpha + zBeta;
      units = (z * z * sd! * sd! * (1 / fc + 1 / ft)) / (delta * delta);
    }
    needed = Math.max(needed, units);
  }
  // A hair of tolerance so that 3841.0000000000005 (rounding) does not become 3842.
  const perVariant = shares.map((share) => Math.ceil(needed * share * (1 - 1e-12)));
  if (!perVariant.every(Number.isFinite)) return none('effect-out-of-range');
  return {
    perVariant,
    total: perVariant.reduce((a, b) => a + b, 0),
    treatmentBaseline: treated,
    flags: [],
  };
}
