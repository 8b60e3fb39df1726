import { bayesianComparison } from './bayesian-comparison';
import { decide } from './decision';
import { fixedHorizonComparison } from './fixed-horizon-test';
import { holmAdjust } from './holm';
import { finite } from './interval';
import { sampleRatioMismatch, SRM_THRESHOLD } from './sample-ratio-mismatch';
import { sequentialComparison } from './sequential-comparison';
import type {
  Comparison,
  ExperimentInput,
  ExperimentResults,
  StatsFlag,
  VariantResult,
} from './types';
import { summarizeVariant } from './variant-summary';

/** Units the sequential test is tuned for when neither it nor the experiment names a number. */
export const DEFAULT_TUNED_FOR_UNITS = 10_000;

/**
 * Analyzes an experiment from per-variant sufficient statistics: per variant its mean and
 * variance; per treatment the absolute and relative lift against control with fixed-horizon
 * intervals and p-value (Holm-adjusted across treatments), the always-valid p-value and
 * confidence sequences, and the Bayesian chance to beat control with expected losses; the
 * sample-ratio-mismatch check, progress, and the decision auto-conclusion acts on.
 *
 * Pure and JSON-safe: degenerate statistics come back as nulls with flags, never NaN, Infinity
 * or an invented p-value. Throws a RangeError only on misuse of the configuration (no variants,
 * duplicate keys, a non-positive weight, an unknown control, a confidence level outside (0, 1)).
 */
export function analyzeExperiment(input: ExperimentInput): ExperimentResults {
  const { variants, metric } = input;
  const confidenceLevel = input.confidenceLevel ?? 0.95;
  const higherIsBetter = input.higherIsBetter ?? true;
  const controlKey = input.control ?? variants[0]?.key;
  checkConfiguration(input, confidenceLevel, controlKey);
  const alpha = 1 - confidenceLevel;
  const flags: StatsFlag[] = [];

  const statsByKey = new Map(input.stats.map((s) => [s.key, s]));
  if (input.stats.some((s) => !variants.some((v) => v.key === s.key))) {
    flags.push('unknown-variant-stats');
  }
  const weightTotal = variants.reduce((sum, v) => sum + v.weight, 0);
  const summaries = variants.map((v) => summarizeVariant(statsByKey.get(v.key), metric));
  const controlIndex = variants.findIndex((v) => v.key === controlKey);
  const control = summaries[controlIndex]!;
  const totalUnits = summaries.reduce((sum, s) => sum + s.units, 0);
  const target = (input.targetSampleSize ?? 0) > 0 ? finite(input.targetSampleSize) : null;
  if (target === null) flags.push('no-target');
  const tunedFor = input.sequential?.tunedForUnits ?? target ?? DEFAULT_TUNED_FOR_UNITS;

  // Fixed-horizon and sequential tests for each treatment, then Holm across them.
  const treatmentIndexes = variants.map((_, i) => i).filter((i) => i !== controlIndex);
  const fixed = treatmentIndexes.map((i) =>
    fixedHorizonComparison(control, summaries[i]!, metric, confidenceLevel),
  );
  const sequential = treatmentIndexes.map((i, j) => {
    const comparisonShare = (variants[i]!.weight + variants[controlIndex]!.weight) / weightTotal;
    const units = control.units + summaries[i]!.units;
    const previous = input.previousSequentialPValues?.[variants[i]!.key];
    return sequentialComparison(fixed[j]!, control, {
      alpha,
      progressRatio: units / (tunedFor * comparisonShare),
      tau2: input.sequential?.tau2,
      previous,
    });
  });
  const adjustedFixed = holmAdjust(fixed.map((f) => f.pValue));
  const adjustedSequential = holmAdjust(sequential.map((s) => s.pValue));

  const comparisons = new Map<number, Comparison>();
  treatmentIndexes.forEach((i, j) => {
    const f = fixed[j]!;
    comparisons.set(i, {
      test: f.test,
      statistic: f.statistic,
      degreesOfFreedom: f.degreesOfFreedom,
      absoluteLift: f.absoluteLift,
      relativeLift: f.relativeLift,
      pValue: f.pValue,
      adjustedPValue: adjustedFixed[j]!,
      sequential: { ...sequential[j]!, adjustedPValue: adjustedSequential[j]! },
      bayesian: bayesianComparison(control, summaries[i]!, metric, higherIsBetter),
      flags: f.flags,
    });
  });

  const srm = sampleRatioMismatch(
    variants.map((v) => statsByKey.get(v.key)?.units ?? 0),
    variants.map((v) => v.weight),
    input.srmThreshold ?? SRM_THRESHOLD,
  );
  const variantResults: VariantResult[] = variants.map((v, i) => {
    const s = summaries[i]!;
    const share = v.weight / weightTotal;
    return {
      key: v.key,
      isControl: i === controlIndex,
      share,
      units: s.units,
      conversions: s.conversions,
      mean: finite(s.mean),
      variance: finite(s.variance),
      standardError: s.meanVariance === null ? null : finite(Math.sqrt(s.meanVariance)),
      progress: target === null ? null : finite(s.units / (target * share)),
      comparison: comparisons.get(i) ?? null,
      flags: s.flags,
    };
  });
  const targetReached = target !== null && totalUnits >= target;
  const decision = decide(
    { key: controlKey!, mean: finite(control.mean) },
    treatmentIndexes.map((i) => {
      const comparison = comparisons.get(i)!;
      return {
        key: variants[i]!.key,
        mean: finite(summaries[i]!.mean),
        sequentialPValue: comparison.sequential.adjustedPValue,
        relativeLift: comparison.relativeLift.estimate,
      };
    }),
    { alpha, higherIsBetter, srmDetected: srm.detected, targetReached },
  );
  return {
    metric,
    control: controlKey!,
    confidenceLevel,
    higherIsBetter,
    totalUnits,
    targetSampleSize: target,
    progress: target === null ? null : finite(totalUnits / target),
    variants: variantResults,
    srm,
    decision,
    flags,
  };
}

function checkConfiguration(
  input: ExperimentInput,
  confidenceLevel: number,
  controlKey: string | undefined,
): void {
  const keys = new Set(input.variants.map((v) => v.key));
  if (input.variants.length === 0) throw new RangeError('an experiment needs variants');
  if (keys.size !== input.variants.length) throw new RangeError('variant keys must be unique');
  if (!input.variants.every((v) => v.weight > 0 && Number.isFinite(v.weight))) {
    throw new RangeError('variant weights must be positive and finite');
  }
  if (controlKey === undefined || !keys.has(controlKey)) {
    throw new RangeError(`unknown control variant ${controlKey}`);
  }
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new RangeError('confidenceLevel must be in (0, 1)');
  }
  if (new Set(input.stats.map((s) => s.key)).size !== input.stats.length) {
    throw new RangeError('statistics must have one entry per variant key');
  }
}
