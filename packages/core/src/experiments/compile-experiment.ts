import { cumulativeWeights, positionPrefix } from '../bucketing';
import { compileCondition } from '../conditions';
import type { CompiledCondition } from '../conditions';
import { objectCache } from '../conditions/object-cache';
import type { HashState } from '../hash';
import type { ExperimentConfig } from '../schema/config';
import { DEFAULT_UNIT } from '../constants';

/** An experiment config prepared for fast assignment: hash prefixes and weights computed once. */
export interface CompiledExperiment {
  readonly config: ExperimentConfig;
  readonly unitAttribute: string;
  readonly cumulative: readonly number[];
  readonly variantPrefix: HashState;
  /** Absent when every eligible unit enters (allocation 100% or unset). */
  readonly trafficPrefix: HashState | undefined;
  readonly layerPrefix: HashState | undefined;
  readonly audience: CompiledCondition | undefined;
}

/** The compiled form of `config`, built on first use and cached for the config object's life. */
export const compileExperiment = objectCache((config: ExperimentConfig): CompiledExperiment => ({
  config,
  unitAttribute: config.unit ?? DEFAULT_UNIT,
  cumulative: cumulativeWeights(config.variants.map((v) => v.weight)),
  variantPrefix: positionPrefix(config.salt, 'variant'),
  trafficPrefix:
    (config.trafficAllocation ?? 100) < 100 ? positionPrefix(config.salt, 'traffic') : undefined,
  layerPrefix: config.layer ? positionPrefix(config.layer.id, 'layer') : undefined,
  audience: config.audience && compileCondition(config.audience),
}));
