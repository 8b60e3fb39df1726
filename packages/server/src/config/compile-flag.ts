import { winnerRange } from '@switchyard/core';
import type { FlagConfig, FlagRule } from '@switchyard/core/schema';
import type { Experiment } from '../entities/experiment/schema';
import type { FeatureFlag } from '../entities/feature-flag/schema';
import { rolloutVariant } from '../entities/feature-flag/validate';

/**
 * A flag as SDKs evaluate it. Pure. The flag's own rules come first, then, when
 * `rolloutPercent` is set, a rule rolling `variant` (or `on`) out to that share.
 * A flag linked to `experiment` buckets with the experiment's salt and unit, and its rollout
 * admits the units that saw the winner first (`order.start` = where the winner's range starts).
 */
export function compileFlag(flag: FeatureFlag, experiment?: Experiment | null): FlagConfig {
  const linked = experiment && flag.experiment === experiment.$id ? experiment : null;
  const rules: FlagRule[] = [...flag.rules];
  if (flag.rolloutPercent !== undefined) {
    const variant = rolloutVariant(flag);
    const rule: FlagRule = { rollout: flag.rolloutPercent, variant };
    const range = linked ? winnerRange(linked, variant) : undefined;
    if (range) rule.order = { start: range.start };
    rules.push(rule);
  }
  const unit = linked ? linked.unit : flag.unit;
  return {
    key: flag.key,
    salt: linked ? linked.$id : flag.salt,
    type: flag.type,
    enabled: flag.enabled,
    variants: flag.variants,
    defaultVariant: flag.default ?? 'off',
    ...(flag.offVariant === undefined ? {} : { offVariant: flag.offVariant }),
    rules,
    ...(flag.prerequisites === undefined ? {} : { prerequisites: flag.prerequisites }),
    ...(unit === undefined ? {} : { unit }),
    ...(flag.serverOnly ? { serverOnly: true } : {}),
  };
}
