import { flagOf } from '../config/own-entry';
import type { JsonValue } from '../schema/condition';
import type { ConfigSnapshot } from '../schema/config';
import type { EvaluationContext, FlagEvaluation } from '../types';
import { compileFlag } from './compile-flag';
import { evaluateRules } from './evaluate-rules';
import { disabled, failure, unlessError } from './flag-results';
import type { Evaluation } from './flag-results';
import { matchesFlagType } from './flag-type';
import { checkPrerequisites } from './prerequisites';

/** The type a default value declares: a literal widened to its primitive (`true` → `boolean`). */
export type Widen<T> = T extends boolean
  ? boolean
  : T extends string
    ? string
    : T extends number
      ? number
      : T;

/**
 * Evaluates flag `key` for `context`, locally and purely. Never throws: a problem comes back as
 * `reason: 'ERROR'` with an `errorCode` and the caller's `defaultValue`.
 *
 * - missing flag → FLAG_NOT_FOUND; a `defaultValue` of another type than the flag → TYPE_MISMATCH;
 * - disabled → the off variant, else `defaultValue` (reason DISABLED);
 * - a prerequisite not served one of its listed variants → as disabled, with errorCode
 *   PREREQUISITE_FAILED; a prerequisite cycle → PREREQUISITE_CYCLE;
 * - else the first rule that applies (TARGETING_MATCH for a fixed variant, SPLIT when a rollout
 *   below 100%, a split or a running experiment placed the unit), else the default variant
 *   (DEFAULT);
 * - a variant that is referenced but not defined (or not of the flag's type) → INVALID_CONFIG.
 */
export function evaluateFlag<T extends JsonValue>(
  snapshot: ConfigSnapshot,
  key: string,
  context: EvaluationContext,
  defaultValue: T,
): FlagEvaluation<Widen<T>>;
export function evaluateFlag(
  snapshot: ConfigSnapshot,
  key: string,
  context: EvaluationContext,
  defaultValue?: JsonValue,
): FlagEvaluation<JsonValue | undefined>;
export function evaluateFlag(
  snapshot: ConfigSnapshot,
  key: string,
  context: EvaluationContext,
  defaultValue?: JsonValue,
): Evaluation {
  try {
    const config = flagOf(snapshot, key);
    if (!config) return failure(defaultValue, 'FLAG_NOT_FOUND', `no flag "${key}"`);
    if (defaultValue !== undefined && !matchesFlagType(config.type, defaultValue)) {
      return failure(defaultValue, 'TYPE_MISMATCH', `flag "${key}" serves a ${config.type}`);
    }
    const flag = compileFlag(config);
    if (!config.enabled) return disabled(flag, defaultValue);
    const failed = config.prerequisites?.length
      ? checkPrerequisites(snapshot, flag, context)
      : undefined;
    if (!failed) return evaluateRules(snapshot, flag, context, defaultValue);
    const [cycle, culprit] = failed;
    if (cycle) {
      return failure(defaultValue, 'PREREQUISITE_CYCLE', `flag "${culprit}" depends on itself`);
    }
    return unlessError(disabled(flag, defaultValue), {
      errorCode: 'PREREQUISITE_FAILED',
      errorMessage: `prerequisite "${culprit}" of flag "${key}" is not met`,
    });
  } catch (error) {
    return failure(defaultValue, 'GENERAL', error instanceof Error ? error.message : String(error));
  }
}
