import type { EvaluationContext, ExperimentAssignment, JsonValue, Widen } from '@switchyard/core';
import type { FlagDetails } from './flag-details';
import type { FlagReads } from './flag-reads';

/** The reads of a client bound to one context, e.g. `req.flags` for one request. */
export interface BoundFlags {
  readonly context: EvaluationContext;
  isOn(key: string): boolean;
  getFlag<T extends JsonValue>(key: string, defaultValue: T): Widen<T>;
  getDetails<T extends JsonValue>(key: string, defaultValue: T): FlagDetails<Widen<T>>;
  getVariant(experimentId: string): string | null;
  getAssignment(experimentId: string): ExperimentAssignment;
  allFlags(): Record<string, JsonValue>;
}

/** Binds `reads` to `context`. */
export function bindFlags(reads: FlagReads, context: EvaluationContext): BoundFlags {
  return {
    context,
    isOn: (key) => reads.isOn(key, context),
    getFlag: (key, defaultValue) => reads.getFlag(key, context, defaultValue),
    getDetails: (key, defaultValue) => reads.getDetails(key, context, defaultValue),
    getVariant: (experimentId) => reads.getVariant(experimentId, context),
    getAssignment: (experimentId) => reads.getAssignment(experimentId, context),
    allFlags: () => reads.allFlags(context),
  };
}
