import { cumulativeWeights, positionPrefix } from '../bucketing';
import { compileCondition } from '../conditions';
import type { CompiledCondition } from '../conditions';
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

// Configs are immutable once received (applyDelta replaces, never edits), so a config
// object is a sound cache key; the WeakMap lets replaced configs be collected.
const compiled = new WeakMap<ExperimentConfig, CompiledExperiment>();

/** The compiled form of `config`, built on first use and cached for the config object's life. */
export function compileExperiment(config: ExperimentConfig): CompiledExperiment {
  let c = compiled.get(config);
  if (!c) {
    const { salt, layer, audience } = config;
    compiled.set(
      config,
      (c = {
        config,
        unitAttribute: config.unit ?? DEFAULT_UNIT,
        cumulative: cumulativeWeights(config.variants.map((v) => v.weight)),
        variantPrefix: positionPrefix(salt, 'variant'),
        trafficPrefix:
          (config.trafficAllocation ?? 100) < 100 ? positionPrefix(salt, 'traffic') : undefined,
        layerPrefix: layer ? positionPrefix(layer.id, 'layer') : undefined,
        audience: audience && compileCondition(audience),
      }),
    );
  }
  return c;
}
