import type { EvaluationContext, ExperimentAssignment, JsonValue, Widen } from '@switchyard/core';
import type { FlagDetails } from './flag-details';

/** The reads every client offers, each given the context to evaluate against. */
export interface FlagReads {
  /** True when flag `key` serves `true`; false otherwise (missing, not boolean, no config). */
  isOn(key: string, context: EvaluationContext): boolean;
  /** The flag's value, or `defaultValue` when it cannot serve one of the same type. */
  getFlag<T extends JsonValue>(key: string, context: EvaluationContext, defaultValue: T): Widen<T>;
  /** The flag's value with the reason, variant, rule and error code. */
  getDetails<T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ): FlagDetails<Widen<T>>;
  /** The variant the unit is assigned in experiment `experimentId`, or null. */
  getVariant(experimentId: string, context: EvaluationContext): string | null;
  /** The whole assignment: variant, value and reason. */
  getAssignment(experimentId: string, context: EvaluationContext): ExperimentAssignment;
  /** The value of every flag that serves one (defaults of the caller are not known here). */
  allFlags(context: EvaluationContext): Record<string, JsonValue>;
}
