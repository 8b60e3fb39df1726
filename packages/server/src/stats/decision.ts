import { finite } from './interval';
import type { Decision } from './types';

/** What the decision reads from each treatment-vs-control comparison. */
export interface DecisionArm {
  key: string;
  mean: number | null;
  /** Holm-adjusted always-valid p-value. */
  sequentialPValue: number | null;
  relativeLift: number | null;
}

/** Inputs of {@link decide} besides the arms. */
export interface DecisionContext {
  alpha: number;
  higherIsBetter: boolean;
  srmDetected: boolean;
  targetReached: boolean;
}

/**
 * Picks a winner from the sequential comparisons (rule documented on {@link Decision}): the best
 * treatment significantly better than control, else control if significantly better than every
 * treatment, else none.
 */
export function decide(
  control: { key: string; mean: number | null },
  treatments: readonly DecisionArm[],
  context: DecisionContext,
): Decision {
  const sign = context.higherIsBetter ? 1 : -1;
  const improvement = (arm: DecisionArm): number | null =>
    arm.mean === null || control.mean === null ? null : sign * (arm.mean - control.mean);
  const significant = (arm: DecisionArm): boolean =>
    arm.sequentialPValue !== null && arm.sequentialPValue < context.alpha;
  const byMean = (arms: readonly DecisionArm[]): DecisionArm | undefined =>
    arms
      .filter((arm) => arm.mean !== null)
      .reduce<DecisionArm | undefined>(
        (best, arm) => (best === undefined || sign * arm.mean! > sign * best.mean! ? arm : best),
        undefined,
      );
  const status = { srmDetected: context.srmDetected, targetReached: context.targetReached };

  const better = treatments.filter((arm) => significant(arm) && (improvement(arm) ?? 0) > 0);
  const winner = byMean(better);
  if (winner !== undefined) {
    return {
      significant: true,
      winner: winner.key,
      confidence: 1 - winner.sequentialPValue!,
      lift: winner.relativeLift,
      ...status,
    };
  }
  const best = byMean(treatments);
  const controlWins =
    treatments.length > 0 &&
    treatments.every((arm) => significant(arm) && (improvement(arm) ?? 0) < 0);
  if (controlWins && best !== undefined) {
    const weakest = Math.max(...treatments.map((arm) => arm.sequentialPValue!));
    return {
      significant: true,
      winner: control.key,
      confidence: 1 - weakest,
      lift: best.mean === 0 ? null : finite((control.mean! - best.mean!) / Math.abs(best.mean!)),
      ...status,
    };
  }
  const pValues = treatments.flatMap((arm) =>
    arm.sequentialPValue === null ? [] : [arm.sequentialPValue],
  );
  return {
    significant: false,
    winner: null,
    confidence: pValues.length === 0 ? 0 : 1 - Math.min(...pValues),
    lift: best?.relativeLift ?? null,
    ...status,
  };
}
