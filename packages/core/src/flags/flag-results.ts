import type { JsonValue } from '../schema/condition';
import type { EvaluationErrorCode, EvaluationReason, FlagEvaluation } from '../types';
import type { CompiledFlag } from './compile-flag';
import { matchesFlagType } from './flag-type';

/** An evaluation as built inside core, before the caller's type is applied. */
export type Evaluation = FlagEvaluation<JsonValue | undefined>;

/** The caller's default with reason ERROR. */
export const failure = (
  defaultValue: JsonValue | undefined,
  errorCode: EvaluationErrorCode,
  errorMessage: string,
): Evaluation => ({
  value: defaultValue,
  reason: 'ERROR',
  inExperiment: false,
  errorCode,
  errorMessage,
});

/** `result` with `extra` added, unless it is an error (which keeps its own code and message). */
export const unlessError = (result: Evaluation, extra: Partial<Evaluation>): Evaluation =>
  result.reason === 'ERROR' ? result : Object.assign(result, extra);

/**
 * Variant `key` served for `reason` (with `value`, by default the flag variant's), or
 * INVALID_CONFIG when the config named a variant it lacks or one of another type.
 */
export function serve(
  flag: CompiledFlag,
  key: string,
  reason: EvaluationReason,
  ruleIndex: number,
  defaultValue: JsonValue | undefined,
  value = flag.variants.get(key)?.value,
): Evaluation {
  const { key: flagKey, type } = flag.config;
  if (value === undefined || !matchesFlagType(type, value)) {
    return failure(
      defaultValue,
      'INVALID_CONFIG',
      flag.variants.has(key)
        ? `variant "${key}" of flag "${flagKey}" is not a ${type}`
        : `flag "${flagKey}" has no variant "${key}"`,
    );
  }
  const result: Evaluation = { value, variant: key, reason, inExperiment: false };
  if (ruleIndex >= 0) result.ruleIndex = ruleIndex;
  return result;
}

/** What a disabled flag serves: its off variant, else the caller's default. */
export function disabled(flag: CompiledFlag, defaultValue: JsonValue | undefined): Evaluation {
  const off = flag.config.offVariant;
  return off === undefined
    ? { value: defaultValue, reason: 'DISABLED', inExperiment: false }
    : serve(flag, off, 'DISABLED', -1, defaultValue);
}
