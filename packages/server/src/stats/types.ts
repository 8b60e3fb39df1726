/**
 * How a metric is measured per unit: `conversion` (did the unit convert, 0/1), `mean` (a
 * per-unit value such as revenue or duration) or `count` (events per unit; analysed like a mean,
 * with its sample variance, since per-user counts are overdispersed for a Poisson model).
 */
export type MetricKind = 'conversion' | 'mean' | 'count';

/**
 * Sufficient statistics of one variant, kept incrementally by the server. For a conversion metric
 * `sum` = `sumSquares` = conversions (0/1 values); for a mean or count metric, the per-unit values
 * summed and their squares summed.
 */
export interface VariantStats {
  key: string;
  /** Units (users) exposed to the variant. */
  units: number;
  /** Converted units, for a conversion metric; `sum` when absent. */
  conversions?: number;
  sum: number;
  sumSquares: number;
}

/**
 * Why a number is missing or should be read with care. A degenerate input never yields NaN or a
 * made-up p = 1: the number is `null` and a flag says why.
 * - `no-units`, `one-unit`: too few units for a variance.
 * - `invalid-stats`: negative or non-finite numbers, conversions > units, or Σx² < (Σx)²/n.
 * - `zero-variance`: every unit has the same value (or no comparison variance): no test.
 * - `no-conversions`, `all-conversions`: a conversion rate of 0 or 1 (zero variance in that arm).
 * - `few-conversions`: fewer than 5 conversions or non-conversions in an arm: the normal
 *   approximation behind the z-test and the sequential test is rough.
 * - `insufficient-data`: a comparison lacks two usable units in each arm.
 * - `zero-baseline`: the control mean is 0, so there is no relative lift.
 * - `unknown-variant-stats`: statistics for a key that is not a variant (ignored).
 * - `no-target`: no target sample size, so no progress.
 */
export type StatsFlag =
  | 'no-units'
  | 'one-unit'
  | 'invalid-stats'
  | 'zero-variance'
  | 'no-conversions'
  | 'all-conversions'
  | 'few-conversions'
  | 'insufficient-data'
  | 'zero-baseline'
  | 'unknown-variant-stats'
  | 'no-target';

/** A point estimate with a two-sided interval; null parts could not be computed (see the flags). */
export interface Interval {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Tuning of the always-valid test: a normal-mixture SPRT whose mixing distribution on the true
 * difference is N(0, τ²). Give `tau2` directly, in squared metric units of the absolute difference,
 * or (the default) `tunedForUnits`: the total units at which the confidence sequence should be
 * narrowest, from which τ² follows (see `mixtureRatio`). A larger τ² favours large effects found
 * early; a smaller one small effects found late.
 */
export interface SequentialOptions {
  tau2?: number;
  /** Defaults to the experiment's targetSampleSize, else 10,000 units. */
  tunedForUnits?: number;
}

/** One variant of the experiment as configured. */
export interface ExperimentVariantWeight {
  key: string;
  /** Relative traffic weight (any positive scale). */
  weight: number;
}

/** Everything `analyzeExperiment` needs. */
export interface ExperimentInput {
  variants: readonly ExperimentVariantWeight[];
  metric: MetricKind;
  /** One entry per variant key; a variant without an entry has no units yet. */
  stats: readonly VariantStats[];
  /** The control variant's key; the first variant by default. */
  control?: string;
  /** Two-sided confidence level of intervals and tests, in (0, 1); default 0.95. */
  confidenceLevel?: number;
  /** Whether a larger metric value is better (default true); false for e.g. latency or churn. */
  higherIsBetter?: boolean;
  /** Total units across all variants the experiment plans for. */
  targetSampleSize?: number;
  sequential?: SequentialOptions;
  /**
   * Always-valid p-values reported at the previous look, by treatment key. When given, the
   * reported value is the running minimum; otherwise it is 1/Λ at the current statistic alone,
   * which is always valid too (both cross α at the same first look), just not monotone.
   */
  previousSequentialPValues?: Readonly<Record<string, number>>;
  /** SRM p-value below which a sample-ratio mismatch is declared; default 0.001. */
  srmThreshold?: number;
}

/** The always-valid (sequential) view of one comparison. */
export interface SequentialResult {
  /** Always-valid p-value: min(1, 1/Λ), or the running minimum with the previous look. */
  pValue: number | null;
  /** Holm-adjusted across the treatment-vs-control comparisons. */
  adjustedPValue: number | null;
  /** Confidence sequence for the absolute difference: valid at every look at once. */
  absoluteLift: Interval;
  /** Confidence sequence for the relative lift (delta-method variance). */
  relativeLift: Interval;
  /** The mixing variance τ² used, in squared metric units. */
  tau2: number | null;
}

/** Bayesian view of one comparison. */
export interface BayesianResult {
  /** Posterior probability that the treatment is better than control. */
  chanceToBeatControl: number | null;
  /** Expected shortfall, in metric units, if the treatment is shipped and is in fact worse. */
  expectedLoss: number | null;
  /** The same for keeping control. */
  controlExpectedLoss: number | null;
}

/** A treatment compared with control. */
export interface Comparison {
  /** `z` for conversion metrics, `welch-t` for means and counts. */
  test: 'z' | 'welch-t';
  statistic: number | null;
  /** Welch–Satterthwaite degrees of freedom (null for the z-test). */
  degreesOfFreedom: number | null;
  /** Treatment mean minus control mean, with a fixed-horizon confidence interval. */
  absoluteLift: Interval;
  /** (treatment - control) / |control|, with a delta-method confidence interval. */
  relativeLift: Interval;
  /** Two-sided fixed-horizon p-value. */
  pValue: number | null;
  /** Holm-adjusted across the treatment-vs-control comparisons. */
  adjustedPValue: number | null;
  sequential: SequentialResult;
  bayesian: BayesianResult;
  flags: StatsFlag[];
}

/** One variant's results. */
export interface VariantResult {
  key: string;
  isControl: boolean;
  /** The variant's expected share of units (normalized weight). */
  share: number;
  units: number;
  /** Converted units (conversion metric only). */
  conversions: number | null;
  /** Conversion rate or mean. */
  mean: number | null;
  /** Unbiased sample variance of the per-unit values. */
  variance: number | null;
  /** Standard error of the mean. */
  standardError: number | null;
  /** units / (targetSampleSize · share). */
  progress: number | null;
  /** Null for control. */
  comparison: Comparison | null;
  flags: StatsFlag[];
}

/** Chi-square goodness of fit of the units against the configured weights. */
export interface SampleRatioMismatch {
  chiSquare: number | null;
  degreesOfFreedom: number;
  pValue: number | null;
  /** pValue < threshold. */
  detected: boolean;
  threshold: number;
  flags: StatsFlag[];
}

/**
 * What auto-conclusion needs. `significant` means a winner was found by the sequential test at
 * the confidence level (Holm-adjusted when there are several treatments):
 * - the winner is the best treatment (by its mean) among those significantly better than control;
 * - failing that, control wins when it is significantly better than every treatment;
 * - otherwise there is no winner.
 * `confidence` is 1 - the deciding adjusted sequential p-value (for control, the largest of them;
 * without a winner, the smallest, or 0 when none could be computed). `lift` is the winner's
 * relative lift over control; for control, its relative lift over the best treatment; without a
 * winner, the best treatment's. Do not conclude while `srmDetected`.
 */
export interface Decision {
  significant: boolean;
  winner: string | null;
  confidence: number;
  lift: number | null;
  srmDetected: boolean;
  targetReached: boolean;
}

/** The body of `GET /v1/experiments/:id/results`: plain JSON, no NaN or Infinity anywhere. */
export interface ExperimentResults {
  metric: MetricKind;
  control: string;
  confidenceLevel: number;
  higherIsBetter: boolean;
  totalUnits: number;
  targetSampleSize: number | null;
  /** totalUnits / targetSampleSize (may exceed 1). */
  progress: number | null;
  variants: VariantResult[];
  srm: SampleRatioMismatch;
  decision: Decision;
  flags: StatsFlag[];
}
