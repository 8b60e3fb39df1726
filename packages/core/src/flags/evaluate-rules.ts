import { chooseWeighted, positionWithPrefix, unitOf, winnerFirstPosition } from '../bucketing';
import { experimentOf } from '../config/own-entry';
import { assignCompiled } from '../experiments/assign-experiment';
import { compileExperiment } from '../experiments/compile-experiment';
import type { JsonValue } from '../schema/condition';
import type { ConfigSnapshot } from '../schema/config';
import type { EvaluationContext } from '../types';
import type { CompiledFlag } from './compile-flag';
import { serve, unlessError } from './flag-results';
import type { Evaluation } from './flag-results';

/**
 * Tries an enabled flag's rules in order and serves the first that applies, else the default
 * variant. A rule that needs the unit (a rollout below 100%, a split, an experiment) is skipped
 * when the context lacks it; if the default variant is then served, the result says so with
 * errorCode TARGETING_KEY_MISSING (reason stays DEFAULT), since a missing unit attribute is
 * almost always a bug in the caller's context.
 *
 * A rule serves a weighted `split` (SPLIT), else the variant of a running experiment (SPLIT;
 * the flag variant named like the experiment's, else the experiment variant's own value; a unit
 * the experiment does not assign falls through), else its fixed `variant`. A fixed variant or a
 * concluded experiment's winner is a TARGETING_MATCH, or a SPLIT when a rollout below 100%
 * admitted the unit.
 */
export function evaluateRules(
  snapshot: ConfigSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  defaultValue: JsonValue | undefined,
): Evaluation {
  const unit = unitOf(context, flag.unitAttribute);
  // Positions are drawn at most once per call, and only when a rule needs them.
  let rolloutPosition = -1;
  let variantPosition = -1;
  let missingUnit: string | undefined;
  let index = -1;
  for (const { rule, condition, cumulative } of flag.rules) {
    index++;
    if (condition && !condition(context, snapshot.segments)) continue;
    const rollout = rule.rollout === undefined ? 100 : rule.rollout;
    const reason = rollout < 100 ? 'SPLIT' : 'TARGETING_MATCH';
    if (rollout < 100 || rule.split) {
      if (unit === undefined) {
        missingUnit = flag.unitAttribute;
        continue;
      }
      // No closure for these: a hot path, and tools that keep function names wrap each one.
      if (variantPosition < 0 && (rule.split || rule.order))
        variantPosition = positionWithPrefix(flag.variantPrefix, unit);
      if (rollout < 100) {
        if (!rule.order && rolloutPosition < 0)
          rolloutPosition = positionWithPrefix(flag.rolloutPrefix, unit);
        const p = rule.order
          ? winnerFirstPosition(variantPosition, rule.order.start)
          : rolloutPosition;
        if (!(p < rollout / 100)) continue;
      }
    }
    if (rule.split) {
      const chosen = rule.split[chooseWeighted(cumulative, variantPosition)]!;
      return serve(flag, chosen.variant, 'SPLIT', index, defaultValue);
    }
    if (rule.experiment === undefined)
      return serve(flag, rule.variant!, reason, index, defaultValue);
    const experiment = experimentOf(snapshot, rule.experiment);
    // An experiment that is gone or does not assign this unit leaves it to the next rule.
    if (!experiment) continue;
    const compiled = compileExperiment(experiment);
    const {
      variant,
      value,
      inExperiment,
      reason: assigned,
    } = assignCompiled(snapshot, compiled, context);
    if (variant !== null) {
      const result = serve(
        flag,
        variant,
        inExperiment ? 'SPLIT' : reason,
        index,
        defaultValue,
        flag.variants.has(variant) ? flag.variants.get(variant)!.value : value,
      );
      // Set in place, not with unlessError: the hot path of every experiment flag read.
      if (result.reason !== 'ERROR') {
        result.experiment = rule.experiment;
        result.inExperiment = inExperiment;
      }
      return result;
    }
    if (assigned === 'NO_UNIT') missingUnit = compiled.unitAttribute;
  }
  const result = serve(flag, flag.config.defaultVariant, 'DEFAULT', -1, defaultValue);
  return missingUnit === undefined
    ? result
    : unlessError(result, {
        errorCode: 'TARGETING_KEY_MISSING',
        errorMessage: `context has no "${missingUnit}" to bucket flag "${flag.config.key}" by`,
      });
}
