import type { FeatureFlag } from '../entities/feature-flag/schema';
import { rolloutVariant } from '../entities/feature-flag/validate';
import { loadCountedMetric, variantStats } from '../ingest/experiment-results';
import { analyzeExperiment } from '../stats/analyze-experiment';
import type { VariantStats } from '../stats/types';
import type { StoreReader } from '../store/store';
import type { GuardedStep } from './guarded-flags';
import { guardedFlagKey } from './guarded-flags';

/** Confidence level of guard tests. */
export const GUARD_CONFIDENCE = 0.95;

/** What a guard sees of the flag's current rollout stage. */
export interface GuardVerdict {
  flag: FeatureFlag;
  metric: string;
  maxDrop: number;
  /** The rollout percent in effect: the stage compared. */
  percent: number;
  /** Units exposed to the flag that got its rolled-out variant, and the others. */
  units: { withFlag: number; rest: number };
  /** (with − rest) / |rest| of the guard metric; null when it cannot be computed. */
  relativeLift: number | null;
  /** The always-valid (mSPRT) p-value of with vs rest. */
  pValue: number | null;
  /** Significantly different, worse, and worse by more than `maxDrop`: roll back. */
  tripped: boolean;
}

const NO_STATS = { units: 0, sum: 0, sumSquares: 0 };

/** The statistics of several variants as one arm (sufficient statistics add up). */
function pooled(key: string, parts: readonly VariantStats[], conversions: boolean): VariantStats {
  const total = parts.reduce(
    (acc, p) => ({
      units: acc.units + p.units,
      sum: acc.sum + p.sum,
      sumSquares: acc.sumSquares + p.sumSquares,
      conversions: acc.conversions + (p.conversions ?? 0),
    }),
    { ...NO_STATS, conversions: 0 },
  );
  const { conversions: converted, ...rest } = total;
  return { key, ...rest, ...(conversions ? { conversions: converted } : {}) };
}

/**
 * Evaluates a guard against its flag's current rollout stage: among the units that evaluated the
 * flag while it rolled out to `percent` (their `$flag_exposure`), those served the rolled-out
 * variant against the rest, on the guard metric, with the same sequential test as experiments
 * (mSPRT at 95%). It trips when that test is significant, the units with the flag do worse, and
 * by more than `maxDrop` relative to the rest (for a metric where lower is better, "worse" is
 * higher). Null when the flag or the metric is gone; never trips at 0% or 100% (no one to
 * compare with). Reads only.
 */
export async function checkGuard(
  reader: StoreReader,
  environment: string,
  guarded: GuardedStep,
): Promise<GuardVerdict | null> {
  const record =
    (await reader.getEntity('FeatureFlag', environment, guarded.flag)) ??
    (await reader.getEntityByKey('FeatureFlag', environment, guarded.flag));
  if (!record) return null;
  const flag = record.data as FeatureFlag;
  const { metric: name, maxDrop } = guarded.step.guard;
  const { metric, definition } = await loadCountedMetric(reader, environment, name);
  if (!definition) return null;
  const percent = flag.rolloutPercent ?? 0;
  const served = rolloutVariant(flag);
  const stats = variantStats(metric, await reader.ingest.aggregates(guardedFlagKey(flag)));
  const conversions = metric.kind === 'conversion';
  const withFlag = pooled(
    'with',
    stats.filter((s) => s.key === served),
    conversions,
  );
  const rest = pooled(
    'rest',
    stats.filter((s) => s.key !== served),
    conversions,
  );
  const verdict: GuardVerdict = {
    flag,
    metric: name,
    maxDrop,
    percent,
    units: { withFlag: withFlag.units, rest: rest.units },
    relativeLift: null,
    pValue: null,
    tripped: false,
  };
  if (!(percent > 0 && percent < 100)) return verdict;
  const higherIsBetter = definition.higherIsBetter ?? true;
  const results = analyzeExperiment({
    variants: [
      { key: 'rest', weight: 100 - percent },
      { key: 'with', weight: percent },
    ],
    metric: metric.kind,
    stats: [rest, withFlag],
    confidenceLevel: GUARD_CONFIDENCE,
    higherIsBetter,
  });
  const comparison = results.variants[1]!.comparison!;
  const lift = comparison.relativeLift.estimate;
  const pValue = comparison.sequential.pValue;
  const worse = lift !== null && (higherIsBetter ? lift <= -maxDrop : lift >= maxDrop);
  return {
    ...verdict,
    relativeLift: lift,
    pValue,
    tripped: worse && pValue !== null && pValue < 1 - GUARD_CONFIDENCE,
  };
}
