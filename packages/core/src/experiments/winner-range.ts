import { cumulativeWeights, rangeStart } from '../bucketing';
import type { ExperimentConfig } from '../schema/config';

/**
 * The slice `[start, end)` of variant positions that an experiment's `variantKey` owned. A flag
 * that rolls the winner out keeps the experiment's salt and orders units from `start`
 * (`order: { start }`), so the units that saw the winner get it first; its share is `end - start`.
 */
export function winnerRange(
  experiment: Pick<ExperimentConfig, 'variants'>,
  variantKey: string,
): { start: number; end: number } | undefined {
  const index = experiment.variants.findIndex((v) => v.key === variantKey);
  if (index < 0) return undefined;
  const cumulative = cumulativeWeights(experiment.variants.map((v) => v.weight));
  return { start: rangeStart(cumulative, index), end: cumulative[index]! };
}
