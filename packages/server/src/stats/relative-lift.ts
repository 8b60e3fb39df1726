/** A mean with the variance of its estimate. */
export interface MeanEstimate {
  mean: number;
  /** Variance of the mean (s²/n). */
  meanVariance: number;
}

/**
 * Relative lift (ȳt - ȳc)/|ȳc| with its delta-method variance
 *   Var(ȳt/ȳc) ≈ Var(ȳt)/ȳc² + ȳt² Var(ȳc)/ȳc⁴
 * (dividing by |ȳc| keeps the sign meaning "treatment is larger" for a negative baseline; the
 * variance is the same). Null when the control mean is 0.
 */
export function relativeLift(
  control: MeanEstimate,
  treatment: MeanEstimate,
): { estimate: number; variance: number } | null {
  if (control.mean === 0) return null;
  const ratio = treatment.mean / control.mean;
  const baselineSquared = control.mean * control.mean;
  return {
    estimate: (treatment.mean - control.mean) / Math.abs(control.mean),
    variance: (treatment.meanVariance + ratio * ratio * control.meanVariance) / baselineSquared,
  };
}
