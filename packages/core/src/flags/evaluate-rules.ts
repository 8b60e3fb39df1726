import { chooseWeighted, positionWithPrefix, unitOf, winnerFirstPosition } from '../bucketing';
import { experimentOf } from '../config/own-entry';
import { assignCompiled } from '../experiments/assign-experiment';
import { compileExperiment } from '../experiments/compile-experiment';
import type { JsonValue } from '../schema/condition';
import type { ConfigSnapshot } from '../schema/config';
import type { EvaluationContext, ExperimentAssignment } from '../types';
import type { CompiledFlag, CompiledRule } from './compile-flag';
import { serve } from './flag-results';
import { matchesFlagType } from './flag-type';
import type { Evaluation } from './flag-results';

/**
 * Tries an enabled flag's rules in order and serves the first that applies, else the default
 * variant. A rule that needs the unit (a rollout below 100%, a split, an experiment) is skipped
 * when the context lacks it; if the default variant is then served, the result says so with
 * errorCode TARGETING_KEY_MISSING (reason stays DEFAULT), since a missing unit attribute is
 * almost always a bug in the caller's context.
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
  const rules = flag.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.condition !== undefined && !rule.condition(context, snapshot.segments)) continue;
    if (rule.rollout < 1) {
      if (unit === undefined) {
        missingUnit = flag.unitAttribute;
        continue;
      }
      let p: number;
      if (rule.winnerStart < 0) {
        if (rolloutPosition < 0) rolloutPosition = positionWithPrefix(flag.rolloutPrefix, unit);
        p = rolloutPosition;
      } else {
        if (variantPosition < 0) variantPosition = positionWithPrefix(flag.variantPrefix, unit);
        p = winnerFirstPosition(variantPosition, rule.winnerStart);
      }
      if (!(p < rule.rollout)) continue;
    }
    if (rule.serve === 'variant') return serve(flag, rule.variant!, rule.reason, r, defaultValue);
    if (rule.serve === 'split') {
      if (unit === undefined) {
        missingUnit = flag.unitAttribute;
        continue;
      }
      if (variantPosition < 0) variantPosition = positionWithPrefix(flag.variantPrefix, unit);
      const chosen = rule.split[chooseWeighted(rule.cumulative, variantPosition)]!;
      return serve(flag, chosen, 'SPLIT', r, defaultValue);
    }
    const experiment = experimentOf(snapshot, rule.experiment);
    // An experiment that is gone or does not assign this unit leaves it to the next rule.
    if (experiment === undefined) continue;
    const compiled = compileExperiment(experiment);
    const assignment = assignCompiled(snapshot, compiled, context);
    if (assignment.variant !== null) {
      return serveAssignment(flag, rule, assignment.variant, assignment, defaultValue);
    }
    if (assignment.reason === 'NO_UNIT') missingUnit = compiled.unitAttribute;
  }
  const result = serve(flag, flag.defaultVariant, 'DEFAULT', -1, defaultValue);
  if (missingUnit !== undefined && result.reason === 'DEFAULT') {
    result.errorCode = 'TARGETING_KEY_MISSING';
    result.errorMessage = `context has no "${missingUnit}" to bucket flag "${flag.config.key}" by`;
  }
  return result;
}

/**
 * The flag variant named like the experiment's variant (else the experiment variant's own
 * value). A running experiment's unit is a SPLIT in the experiment; a concluded experiment's
 * winner is served like a fixed variant.
 */
function serveAssignment(
  flag: CompiledFlag,
  rule: CompiledRule,
  variantKey: string,
  assignment: ExperimentAssignment,
  defaultValue: JsonValue | undefined,
): Evaluation {
  const variant = flag.variants.get(variantKey) ?? { key: variantKey, value: assignment.value };
  const reason = assignment.inExperiment ? 'SPLIT' : rule.reason;
  const value = variant.value;
  if (value === undefined || !matchesFlagType(flag.config.type, value)) {
    return serve(flag, variant, reason, rule.index, defaultValue);
  }
  return {
    value,
    variant: variant.key,
    reason,
    ruleIndex: rule.index,
    experiment: rule.experiment,
    inExperiment: assignment.inExperiment,
  };
}
