import { cumulativeWeights, positionPrefix } from '../bucketing';
import { DEFAULT_UNIT } from '../constants';
import type { HashState } from '../hash';
import { compileCondition } from '../conditions';
import type { CompiledCondition } from '../conditions';
import type { FlagConfig, FlagRule, FlagVariant } from '../schema/config';

/**
 * A variant a rule refers to: the flag's variant, or a stand-in without a value when the
 * config names a variant it does not define (serving it is an INVALID_CONFIG error).
 */
export type ServableVariant = Pick<FlagVariant, 'key'> & { readonly value?: FlagVariant['value'] };

/** What a compiled rule serves. */
export type Serve = 'variant' | 'split' | 'experiment';

/** A rule with its variant references resolved and its rollout as a fraction. */
export interface CompiledRule {
  readonly index: number;
  readonly condition: CompiledCondition | undefined;
  /** `rollout / 100`; 1 when the rule has no rollout. */
  readonly rollout: number;
  /** The winner-first order's start, or -1 for the plain rollout order. */
  readonly winnerStart: number;
  readonly serve: Serve;
  /** Reason of a unit served by this rule's variant or winner: SPLIT when a rollout below 100% admitted it. */
  readonly reason: 'TARGETING_MATCH' | 'SPLIT';
  readonly variant: ServableVariant | undefined;
  readonly split: readonly ServableVariant[];
  readonly cumulative: readonly number[];
  readonly experiment: string;
}

/** A flag config prepared for fast evaluation: hash prefixes, weights and variant lookups computed once. */
export interface CompiledFlag {
  readonly config: FlagConfig;
  readonly unitAttribute: string;
  readonly rolloutPrefix: HashState;
  readonly variantPrefix: HashState;
  /** Variants by key. */
  readonly variants: ReadonlyMap<string, FlagVariant>;
  readonly defaultVariant: ServableVariant;
  readonly rules: readonly CompiledRule[];
}

// Configs are immutable once received (applyDelta replaces, never edits), so a config
// object is a sound cache key; the WeakMap lets replaced configs be collected.
const compiled = new WeakMap<FlagConfig, CompiledFlag>();

/** The compiled form of `config`, built on first use and cached for the config object's life. */
export function compileFlag(config: FlagConfig): CompiledFlag {
  let c = compiled.get(config);
  if (c === undefined) {
    const variants = new Map<string, FlagVariant>();
    for (const v of config.variants) variants.set(v.key, v);
    c = {
      config,
      unitAttribute: config.unit ?? DEFAULT_UNIT,
      rolloutPrefix: positionPrefix(config.salt, 'rollout'),
      variantPrefix: positionPrefix(config.salt, 'variant'),
      variants,
      defaultVariant: resolve(variants, config.defaultVariant),
      rules: (config.rules ?? []).map((rule, index) => compileRule(rule, index, variants)),
    };
    compiled.set(config, c);
  }
  return c;
}

function compileRule(
  rule: FlagRule,
  index: number,
  variants: ReadonlyMap<string, FlagVariant>,
): CompiledRule {
  const rollout = rule.rollout === undefined ? 1 : rule.rollout / 100;
  const serve: Serve =
    rule.split !== undefined ? 'split' : rule.experiment !== undefined ? 'experiment' : 'variant';
  return {
    index,
    condition: rule.condition === undefined ? undefined : compileCondition(rule.condition),
    rollout,
    winnerStart: rule.order === undefined ? -1 : rule.order.start,
    serve,
    reason: rollout < 1 ? 'SPLIT' : 'TARGETING_MATCH',
    variant: rule.variant === undefined ? undefined : resolve(variants, rule.variant),
    split: (rule.split ?? []).map((w) => resolve(variants, w.variant)),
    cumulative: cumulativeWeights((rule.split ?? []).map((w) => w.weight)),
    experiment: rule.experiment ?? '',
  };
}

/** The variant `key` of a flag, or a stand-in for a variant the flag does not define. */
export function resolve(variants: ReadonlyMap<string, FlagVariant>, key: string): ServableVariant {
  return variants.get(key) ?? { key };
}
