import { compareBetaPosteriors, compareNormalPosteriors, conversionPosterior } from './bayesian';
import type { PosteriorComparison } from './bayesian';
import { finite } from './interval';
import type { BayesianResult, MetricKind } from './types';
import type { VariantSummary } from './variant-summary';

/**
 * Chance to beat control and expected losses of a treatment, oriented by higherIsBetter: exact
 * Beta posteriors (uniform prior) for conversion rates, normal posteriors for means and counts.
 * Null without units in both arms or without a variance.
 */
export function bayesianComparison(
  control: VariantSummary,
  treatment: VariantSummary,
  metric: MetricKind,
  higherIsBetter: boolean,
): BayesianResult {
  const none: BayesianResult = {
    chanceToBeatControl: null,
    expectedLoss: null,
    controlExpectedLoss: null,
  };
  let posterior: PosteriorComparison;
  if (metric === 'conversion') {
    if (control.conversions === null || treatment.conversions === null) return none;
    if (control.units === 0 || treatment.units === 0) return none;
    posterior = compareBetaPosteriors(
      conversionPosterior(control.units, control.conversions),
      conversionPosterior(treatment.units, treatment.conversions),
    );
  } else {
    if (control.meanVariance === null || treatment.meanVariance === null) return none;
    if (control.mean === null || treatment.mean === null) return none;
    const variance = control.meanVariance + treatment.meanVariance;
    if (!(variance > 0) || !Number.isFinite(variance)) return none;
    posterior = compareNormalPosteriors(treatment.mean - control.mean, variance);
  }
  return higherIsBetter
    ? {
        chanceToBeatControl: finite(posterior.treatmentHigher),
        expectedLoss: finite(posterior.lossOfTreatment),
        controlExpectedLoss: finite(posterior.lossOfControl),
      }
    : {
        chanceToBeatControl: finite(posterior.treatmentLower),
        expectedLoss: finite(posterior.lossOfControl),
        controlExpectedLoss: finite(posterior.lossOfTreatment),
      };
}
