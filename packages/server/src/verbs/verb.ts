import type * as z from 'zod';
import type { JsonObject } from '../store/records';
import type { StoreReader, StoreWriter } from '../store/store';

/** Who calls a verb, where and when. */
export interface VerbCall {
  environment: string;
  /** Who did it, for the log: `admin:key_…`, `hook:Experiment.concluded`, `system`. */
  actor: string;
  now: Date;
}

/** The domain event a write verb emits, before the store gives it a seq. */
export interface DomainEventDraft {
  entityType: string;
  entityId: string;
  payload: JsonObject;
  /** The entity's state after the verb; null when it was deleted. */
  state: JsonObject | null;
}

/** What a write verb did: its result and, unless it changed nothing, its domain event. */
export interface Change<R> {
  result: R;
  event?: DomainEventDraft;
}

/** A verb that changes state: validated input, one transaction, one domain event. */
export interface WriteVerb<S extends z.ZodType = z.ZodType, R = unknown> {
  kind: 'write';
  input: S;
  /** Runs inside the verb's transaction; throws a SwitchyardError to refuse. */
  apply(tx: StoreWriter, input: z.output<S>, call: VerbCall): Promise<Change<R>>;
}

/** A verb that only reads. */
export interface ReadVerb<S extends z.ZodType = z.ZodType, R = unknown> {
  kind: 'read';
  input: S;
  read(reader: StoreReader, input: z.output<S>, call: VerbCall): Promise<R>;
}

/** Any verb. */
export type Verb = WriteVerb | ReadVerb;

/** Declares a write verb (only to infer its types). */
export function writeVerb<S extends z.ZodType, R>(
  spec: Omit<WriteVerb<S, R>, 'kind'>,
): WriteVerb<S, R> {
  return { kind: 'write', ...spec };
}

/** Declares a read verb (only to infer its types). */
export function readVerb<S extends z.ZodType, R>(
  spec: Omit<ReadVerb<S, R>, 'kind'>,
): ReadVerb<S, R> {
  return { kind: 'read', ...spec };
}

/** The input a caller passes to a verb. */
export type VerbInput<V> =
  V extends WriteVerb<infer S, unknown>
    ? z.input<S>
    : V extends ReadVerb<infer S, unknown>
      ? z.input<S>
      : never;

/** The input after validation, as hooks see it. */
export type VerbParsed<V> =
  V extends WriteVerb<infer S, unknown>
    ? z.output<S>
    : V extends ReadVerb<infer S, unknown>
      ? z.output<S>
      : never;

/** What a verb answers. */
export type VerbResult<V> =
  V extends WriteVerb<z.ZodType, infer R> ? R : V extends ReadVerb<z.ZodType, infer R> ? R : never;
