import type { MetricKind, StatsFlag, VariantStats } from './types';

/** A variant's statistics reduced to what the tests use. */
export interface VariantSummary {
  units: number;
  /** Converted units (conversion metric), else null. */
  conversions: number | null;
  /** Conversion rate or mean; null without units or with invalid statistics. */
  mean: number | null;
  /** Unbiased sample variance of the per-unit values; null below two units. */
  variance: number | null;
  /**
   * Variance of the mean used by the tests: p(1 - p)/n for a conversion rate (the binomial
   * variance of the z-test), s²/n for a mean. Null below two units.
   */
  meanVariance: number | null;
  flags: StatsFlag[];
}

/** Below this share of Σx², a negative Σx² - (Σx)²/n is taken for accumulated rounding. */
const ROUNDING_SLACK = 1e-6;
/** Below this share of Σx², Σx² - (Σx)²/n is not resolvable from the sums: zero variance. */
const RESOLUTION = 1e-10;

const isCount = (x: number): boolean => Number.isFinite(x) && x >= 0;

/**
 * Summarizes a variant's sufficient statistics. For means the sum of squared deviations is
 * Σx² - Σx · x̄ (one product instead of (Σx)²/n, which overflows sooner); when it is within
 * rounding of zero the variance is reported as 0 and flagged, never as a tiny random number.
 */
export function summarizeVariant(
  stats: VariantStats | undefined,
  metric: MetricKind,
): VariantSummary {
  const units = stats?.units ?? 0;
  const flags: StatsFlag[] = [];
  const invalid = (): VariantSummary => ({
    units: isCount(units) ? units : 0,
    conversions: null,
    mean: null,
    variance: null,
    meanVariance: null,
    flags: ['invalid-stats'],
  });
  if (!isCount(units)) return invalid();
  if (metric === 'conversion') {
    const conversions = stats?.conversions ?? stats?.sum ?? 0;
    if (!isCount(conversions) || conversions > units) return invalid();
    if (units === 0) return empty(flags, conversions);
    const rate = conversions / units;
    if (conversions === 0) flags.push('no-conversions');
    if (conversions === units) flags.push('all-conversions');
    if (conversions < 5 || units - conversions < 5) flags.push('few-conversions');
    if (units < 2) {
      flags.push('one-unit');
      return { units, conversions, mean: rate, variance: null, meanVariance: null, flags };
    }
    const binomial = rate * (1 - rate);
    if (binomial === 0) flags.push('zero-variance');
    return {
      units,
      conversions,
      mean: rate,
      variance: (binomial * units) / (units - 1),
      meanVariance: binomial / units,
      flags,
    };
  }
  const sum = stats?.sum ?? 0;
  const sumSquares = stats?.sumSquares ?? 0;
  if (!Number.isFinite(sum) || !isCount(sumSquares)) return invalid();
  if (metric === 'count' && sum < 0) return invalid();
  if (units === 0) return sum === 0 && sumSquares === 0 ? empty(flags, null) : invalid();
  const mean = sum / units;
  const squaredDeviations = sumSquares - sum * mean;
  if (!Number.isFinite(mean) || !(squaredDeviations >= -ROUNDING_SLACK * sumSquares)) {
    return invalid();
  }
  if (units < 2) {
    flags.push('one-unit');
    return { units, conversions: null, mean, variance: null, meanVariance: null, flags };
  }
  let variance = squaredDeviations / (units - 1);
  if (squaredDeviations <= RESOLUTION * sumSquares) {
    variance = 0;
    flags.push('zero-variance');
  }
  return { units, conversions: null, mean, variance, meanVariance: variance / units, flags };
}

function empty(flags: StatsFlag[], conversions: number | null): VariantSummary {
  flags.push('no-units');
  return { units: 0, conversions, mean: null, variance: null, meanVariance: null, flags };
}
