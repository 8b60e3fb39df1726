import type { JsonValue } from '../schema/condition';
import type { EvaluationErrorCode, EvaluationReason, FlagEvaluation } from '../types';
import { resolve } from './compile-flag';
import type { CompiledFlag, ServableVariant } from './compile-flag';
import { matchesFlagType } from './flag-type';

/** An evaluation as built inside core, before the caller's type is applied. */
export type Evaluation = FlagEvaluation<JsonValue | undefined>;

/** The caller's default with reason ERROR. */
export function failure(
  defaultValue: JsonValue | undefined,
  errorCode: EvaluationErrorCode,
  errorMessage: string,
): Evaluation {
  return { value: defaultValue, reason: 'ERROR', inExperiment: false, errorCode, errorMessage };
}

/** `variant` served for `reason`, or INVALID_CONFIG when the config named a variant it lacks or mistyped. */
export function serve(
  flag: CompiledFlag,
  variant: ServableVariant,
  reason: EvaluationReason,
  ruleIndex: number,
  defaultValue: JsonValue | undefined,
): Evaluation {
  const value = variant.value;
  if (value === undefined || !matchesFlagType(flag.config.type, value)) {
    return invalidVariant(flag, variant.key, defaultValue);
  }
  return ruleIndex < 0
    ? { value, variant: variant.key, reason, inExperiment: false }
    : { value, variant: variant.key, reason, ruleIndex, inExperiment: false };
}

/** What a disabled flag serves: its off variant, else the caller's default. */
export function disabled(flag: CompiledFlag, defaultValue: JsonValue | undefined): Evaluation {
  const off = flag.config.offVariant;
  if (off === undefined) return { value: defaultValue, reason: 'DISABLED', inExperiment: false };
  return serve(flag, resolve(flag.variants, off), 'DISABLED', -1, defaultValue);
}

function invalidVariant(
  flag: CompiledFlag,
  key: string,
  defaultValue: JsonValue | undefined,
): Evaluation {
  const { key: flagKey, type } = flag.config;
  const message = flag.variants.has(key)
    ? `variant "${key}" of flag "${flagKey}" is not a ${type}`
    : `flag "${flagKey}" has no variant "${key}"`;
  return failure(defaultValue, 'INVALID_CONFIG', message);
}
