/**
 * The ratio r = τ²/V at which the normal-mixture confidence sequence is narrowest for a given
 * variance V of the estimate: the half-width² V (1 + 1/r)(2 ln(1/α) + ln(1 + r)) is minimal
 * where r = 2 ln(1/α) + ln(1 + r) (for α = 0.05, r ≈ 8.2), solved here by fixed-point iteration.
 */
export function optimalMixtureRatio(alpha: number): number {
  const twiceLogInverse = -2 * Math.log(alpha);
  let ratio = twiceLogInverse;
  for (let i = 0; i < 100; i++) {
    const next = twiceLogInverse + Math.log1p(ratio);
    if (Math.abs(next - ratio) <= 1e-15 * next) return next;
    ratio = next;
  }
  return ratio;
}

/** One look of the mixture sequential test. */
export interface MixtureLook {
  /** min(1, 1/Λ). */
  pValue: number;
  /** Half-width of the confidence sequence at this look. */
  halfWidth: number;
}

/**
 * The normal-mixture sequential probability ratio test (mSPRT; Johari, Pekelis & Walsh, "Always
 * valid inference", 2017) for an estimate θ̂ ~ N(θ, V) of a difference, with mixing
 * distribution θ ~ N(0, τ²) under the alternative:
 *   Λ = √(V / (V + τ²)) · exp(θ̂² τ² / (2V(V + τ²))).
 * Under θ = 0, Λ is a martingale, so by Ville's inequality P(Λ ever ≥ 1/α) ≤ α: the p-value
 * min(1, 1/Λ) may be watched after every unit. Inverting the test at each θ₀ gives the
 * confidence sequence θ̂ ± √(V (V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V))), valid at all looks
 * at once. V is the plug-in variance, so validity is asymptotic (as in the paper's practice).
 */
export function mixtureSequentialTest(
  estimate: number,
  variance: number,
  tau2: number,
  alpha: number,
): MixtureLook {
  const ratio = tau2 / variance;
  const zSquared = (estimate * estimate) / variance;
  const logLikelihoodRatio = -0.5 * Math.log1p(ratio) + (zSquared * ratio) / (2 * (1 + ratio));
  return {
    pValue: Math.min(1, Math.exp(-logLikelihoodRatio)),
    halfWidth: Math.sqrt(variance * (1 + 1 / ratio) * (-2 * Math.log(alpha) + Math.log1p(ratio))),
  };
}
