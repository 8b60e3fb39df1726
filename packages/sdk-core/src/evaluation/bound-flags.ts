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

/** Binds `reads` to `context`: each read takes the context after its first argument. */
export function bindFlags(reads: FlagReads, context: EvaluationContext): BoundFlags {
  const bound: Record<string, unknown> = { context, allFlags: () => reads.allFlags(context) };
  for (const name of ['isOn', 'getFlag', 'getDetails', 'getVariant', 'getAssignment'] as const) {
    bound[name] = (first: string, ...rest: [never]) => reads[name](first, context, ...rest);
  }
  return bound as unknown as BoundFlags;
}
