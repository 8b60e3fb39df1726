import { finite } from './interval';
import { chiSquareUpper } from './numerics';
import type { SampleRatioMismatch, StatsFlag } from './types';

/** Default p-value below which a sample-ratio mismatch is declared. */
export const SRM_THRESHOLD = 0.001;

/**
 * Sample-ratio-mismatch check: Pearson's chi-square goodness of fit of the observed units
 * against the shares the weights promise, χ² = Σ (oᵢ - eᵢ)²/eᵢ with eᵢ = N wᵢ/Σw and k - 1
 * degrees of freedom; p = Q((k - 1)/2, χ²/2) from the upper incomplete gamma (no 1 - P).
 * A mismatch usually means broken assignment or lost events, not a treatment effect.
 */
export function sampleRatioMismatch(
  units: readonly number[],
  weights: readonly number[],
  threshold = SRM_THRESHOLD,
): SampleRatioMismatch {
  const degreesOfFreedom = Math.max(0, units.length - 1);
  const flags: StatsFlag[] = [];
  const result = (chiSquare: number | null, pValue: number | null): SampleRatioMismatch => ({
    chiSquare,
    degreesOfFreedom,
    pValue,
    detected: pValue !== null && pValue < threshold,
    threshold,
    flags,
  });
  if (units.some((n) => !Number.isFinite(n) || n < 0)) {
    flags.push('invalid-stats');
    return result(null, null);
  }
  const total = units.reduce((a, b) => a + b, 0);
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || degreesOfFreedom === 0) {
    if (total === 0) flags.push('no-units');
    return result(null, null);
  }
  let chiSquare = 0;
  units.forEach((observed, i) => {
    const expected = (total * weights[i]!) / weightTotal;
    chiSquare += ((observed - expected) * (observed - expected)) / expected;
  });
  return result(finite(chiSquare), finite(chiSquareUpper(chiSquare, degreesOfFreedom)));
}
