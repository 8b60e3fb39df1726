import { cumulativeWeights, positionPrefix } from '../bucketing';
import { DEFAULT_UNIT } from '../constants';
import type { HashState } from '../hash';
import { compileCondition } from '../conditions';
import type { CompiledCondition } from '../conditions';
import { objectCache } from '../conditions/object-cache';
import type { FlagConfig, FlagRule, FlagVariant } from '../schema/config';

/** A rule with its condition compiled and its split's cumulative weights. */
export interface CompiledRule {
  readonly rule: FlagRule;
  readonly condition: CompiledCondition | undefined;
  readonly cumulative: readonly number[];
}

/** A flag config prepared for fast evaluation: hash prefixes, weights and variant lookups computed once. */
export interface CompiledFlag {
  readonly config: FlagConfig;
  readonly unitAttribute: string;
  readonly rolloutPrefix: HashState;
  readonly variantPrefix: HashState;
  /** Variants by key. */
  readonly variants: ReadonlyMap<string, FlagVariant>;
  readonly rules: readonly CompiledRule[];
}

/** The compiled form of `config`, built on first use and cached for the config object's life. */
export const compileFlag = objectCache((config: FlagConfig): CompiledFlag => ({
  config,
  unitAttribute: config.unit ?? DEFAULT_UNIT,
  rolloutPrefix: positionPrefix(config.salt, 'rollout'),
  variantPrefix: positionPrefix(config.salt, 'variant'),
  variants: new Map(config.variants.map((v) => [v.key, v])),
  rules: (config.rules ?? []).map((rule) => ({
    rule,
    condition: rule.condition && compileCondition(rule.condition),
    cumulative: cumulativeWeights((rule.split ?? []).map((w) => w.weight)),
  })),
}));
