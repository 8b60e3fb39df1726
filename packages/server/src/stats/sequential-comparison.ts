import type { FixedHorizonResult } from './fixed-horizon-test';
import { finite, interval } from './interval';
import { mixtureSequentialTest, optimalMixtureRatio } from './sequential-test';
import type { SequentialResult } from './types';
import type { VariantSummary } from './variant-summary';

/** Options of {@link sequentialComparison}. */
export interface SequentialComparisonOptions {
  alpha: number;
  /** Units in the comparison divided by the units the test is tuned for. */
  progressRatio: number;
  /** Explicit mixing variance of the absolute difference (overrides the tuning). */
  tau2?: number | undefined;
  /** The always-valid p-value of the previous look, for the running minimum. */
  previous?: number | undefined;
}

/**
 * The mSPRT for one comparison. τ² is given, or r*·V·(n/n*) where r* is the optimal mixture
 * ratio at α and n/n* the comparison's progress towards the units it is tuned for: the
 * confidence sequence is then narrowest when n reaches n*. The relative lift uses the same
 * prior rescaled by the control mean.
 */
export function sequentialComparison(
  fixed: FixedHorizonResult,
  control: VariantSummary,
  options: SequentialComparisonOptions,
): Omit<SequentialResult, 'adjustedPValue'> {
  const empty = {
    pValue: null,
    absoluteLift: interval(fixed.absoluteLift.estimate, null),
    relativeLift: interval(fixed.relativeLift.estimate, null),
    tau2: null,
  };
  const variance = fixed.differenceVariance;
  const estimate = fixed.absoluteLift.estimate;
  if (variance === null || estimate === null) return empty;
  const optimal = optimalMixtureRatio(options.alpha);
  const tau2 = finite(options.tau2 ?? optimal * variance * options.progressRatio);
  if (tau2 === null || !(tau2 > 0)) return empty;
  const look = mixtureSequentialTest(estimate, variance, tau2, options.alpha);
  const previous = finite(options.previous);
  const pValue = previous === null ? look.pValue : Math.min(previous, look.pValue);
  let relativeLift = empty.relativeLift;
  const relative = fixed.relative;
  if (relative !== null && control.mean) {
    const relativeTau2 =
      options.tau2 === undefined
        ? optimal * relative.variance * options.progressRatio
        : options.tau2 / (control.mean * control.mean);
    const relativeLook = mixtureSequentialTest(
      relative.estimate,
      relative.variance,
      relativeTau2,
      options.alpha,
    );
    relativeLift = interval(relative.estimate, relativeLook.halfWidth);
  }
  return {
    pValue: finite(pValue),
    absoluteLift: interval(estimate, look.halfWidth),
    relativeLift,
    tau2,
  };
}
