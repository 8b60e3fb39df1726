import { finite, interval } from './interval';
import {
  normalTwoSided,
  normalUpperQuantile,
  studentTTwoSided,
  studentTUpperQuantile,
} from './numerics';
import { relativeLift } from './relative-lift';
import type { Interval, MetricKind, StatsFlag } from './types';
import type { VariantSummary } from './variant-summary';
import { welchDegreesOfFreedom } from './welch';

/** A fixed-horizon (look once) comparison of a treatment with control. */
export interface FixedHorizonResult {
  test: 'z' | 'welch-t';
  statistic: number | null;
  degreesOfFreedom: number | null;
  pValue: number | null;
  absoluteLift: Interval;
  relativeLift: Interval;
  /** Variance of the difference of means, for the sequential test; null when not usable. */
  differenceVariance: number | null;
  /** Delta-method relative lift and its variance, for the sequential test. */
  relative: { estimate: number; variance: number } | null;
  flags: StatsFlag[];
}

/**
 * Compares a treatment with control at a fixed horizon. Conversion metrics: the unpooled
 * two-proportion z-test, SE = √(p̂t(1 - p̂t)/nt + p̂c(1 - p̂c)/nc), with the interval on the same
 * SE so that it excludes 0 exactly when p < α. Means and counts: Welch's t-test with
 * Welch–Satterthwaite degrees of freedom and a t-quantile interval. The relative lift gets a
 * delta-method interval on the normal quantile. p-values come from erfc and the incomplete beta,
 * never 1 - cdf, so they stay accurate far below 1e-16.
 */
export function fixedHorizonComparison(
  control: VariantSummary,
  treatment: VariantSummary,
  metric: MetricKind,
  confidenceLevel: number,
): FixedHorizonResult {
  const test = metric === 'conversion' ? 'z' : 'welch-t';
  const flags: StatsFlag[] = [];
  const difference =
    control.mean !== null && treatment.mean !== null ? treatment.mean - control.mean : null;
  const result: FixedHorizonResult = {
    test,
    statistic: null,
    degreesOfFreedom: null,
    pValue: null,
    absoluteLift: interval(difference, null),
    relativeLift: { estimate: null, lower: null, upper: null },
    differenceVariance: null,
    relative: null,
    flags,
  };
  if (control.flags.includes('few-conversions') || treatment.flags.includes('few-conversions')) {
    flags.push('few-conversions');
  }
  if (control.mean === 0) flags.push('zero-baseline');
  else if (control.mean !== null && treatment.mean !== null) {
    result.relativeLift.estimate = finite((treatment.mean - control.mean) / Math.abs(control.mean));
  }
  if (
    difference === null ||
    control.meanVariance === null ||
    treatment.meanVariance === null ||
    control.mean === null ||
    treatment.mean === null
  ) {
    flags.push('insufficient-data');
    return result;
  }
  const variance = control.meanVariance + treatment.meanVariance;
  if (!(variance > 0) || !Number.isFinite(variance)) {
    flags.push('zero-variance');
    return result;
  }
  const alpha = 1 - confidenceLevel;
  const standardError = Math.sqrt(variance);
  const statistic = difference / standardError;
  const zQuantile = normalUpperQuantile(alpha / 2);
  if (test === 'z') {
    result.pValue = finite(normalTwoSided(statistic));
    result.absoluteLift = interval(difference, zQuantile * standardError);
  } else {
    const df = welchDegreesOfFreedom(
      control.meanVariance,
      control.units,
      treatment.meanVariance,
      treatment.units,
    );
    result.degreesOfFreedom = finite(df);
    result.pValue = finite(studentTTwoSided(statistic, df));
    result.absoluteLift = interval(
      difference,
      studentTUpperQuantile(alpha / 2, df) * standardError,
    );
  }
  result.statistic = finite(statistic);
  result.differenceVariance = finite(variance);
  const relative = relativeLift(
    { mean: control.mean, meanVariance: control.meanVariance },
    { mean: treatment.mean, meanVariance: treatment.meanVariance },
  );
  if (relative !== null && Number.isFinite(relative.variance) && relative.variance > 0) {
    result.relativeLift = interval(relative.estimate, zQuantile * Math.sqrt(relative.variance));
    result.relative = relative;
  }
  return result;
}
