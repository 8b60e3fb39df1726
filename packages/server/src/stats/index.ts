export { analyzeExperiment, DEFAULT_TUNED_FOR_UNITS } from './analyze-experiment';
export { bayesianComparison } from './bayesian-comparison';
export { compareBetaPosteriors, compareNormalPosteriors, conversionPosterior } from './bayesian';
export type { BetaPosterior, PosteriorComparison } from './bayesian';
export { decide } from './decision';
export type { DecisionArm, DecisionContext } from './decision';
export { fixedHorizonComparison } from './fixed-horizon-test';
export type { FixedHorizonResult } from './fixed-horizon-test';
export { holmAdjust } from './holm';
export { relativeLift } from './relative-lift';
export type { MeanEstimate } from './relative-lift';
export { sampleRatioMismatch, SRM_THRESHOLD } from './sample-ratio-mismatch';
export { sampleSize } from './sample-size';
export type { SampleSize, SampleSizeInput } from './sample-size';
export { sequentialComparison } from './sequential-comparison';
export type { SequentialComparisonOptions } from './sequential-comparison';
export { mixtureSequentialTest, optimalMixtureRatio } from './sequential-test';
export type { MixtureLook } from './sequential-test';
export { summarizeVariant } from './variant-summary';
export type { VariantSummary } from './variant-summary';
export { welchDegreesOfFreedom } from './welch';
export {
  chiSquareUpper,
  erf,
  erfc,
  incompleteBeta,
  incompleteGamma,
  logBeta,
  logGamma,
  normalLower,
  normalPdf,
  normalQuantile,
  normalTwoSided,
  normalUpper,
  normalUpperQuantile,
  studentTLower,
  studentTTwoSided,
  studentTUpper,
  studentTUpperQuantile,
} from './numerics';
export type { Tails } from './numerics';
export type {
  BayesianResult,
  Comparison,
  Decision,
  ExperimentInput,
  ExperimentResults,
  ExperimentVariantWeight,
  Interval,
  MetricKind,
  SampleRatioMismatch,
  SequentialOptions,
  SequentialResult,
  StatsFlag,
  VariantResult,
  VariantStats,
} from './types';
