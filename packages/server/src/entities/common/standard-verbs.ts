import * as z from 'zod';
import type { JsonObject } from '../../store/records';
import type { StoreWriter } from '../../store/store';
import { readVerb, writeVerb } from '../../verbs/verb';
import type { VerbCall } from '../../verbs/verb';
import type { EntityBase } from './entity-base';
import {
  IdInputSchema,
  IdSchema,
  applyPatch,
  changedFields,
  loadEntity,
  saveEntity,
  stateOf,
} from './entity-base';
import { FindInputSchema, findIn } from './find';
import type { FindResult } from './find';

/** `get` takes `{ id }` or the id itself. */
export const GetInputSchema = z.union([IdSchema.transform((id) => ({ id })), IdInputSchema]);

/** How an entity is shown to callers (e.g. without secrets); the identity by default. */
export type View<T, R> = (entity: T) => R;

/** `get`: one entity by id (or key), 404 when unknown. */
export function getVerb<T extends EntityBase, R = T>(type: string, view?: View<T, R>) {
  return readVerb({
    input: GetInputSchema,
    async read(reader, input, call): Promise<R> {
      const entity = await loadEntity<T>(reader, type, call.environment, input.id);
      return view ? view(entity) : (entity as unknown as R);
    },
  });
}

/** `find`: filter, sort and page the entities of a type, now or `asOf` a past instant. */
export function findVerb<T extends EntityBase, R = T>(type: string, view?: View<T, R>) {
  return readVerb({
    input: FindInputSchema,
    async read(reader, input, call): Promise<FindResult<R>> {
      const states =
        input.asOf === undefined
          ? (await reader.listEntities(type, call.environment)).map((r) => r.data)
          : await reader.entityStatesAsOf(type, call.environment, input.asOf);
      const shown = states.map((s) => (view ? view(s as T) : (s as R)));
      return findIn(shown, input);
    },
  });
}

/** `delete`: removes the entity; `guard` may refuse (e.g. a running experiment). */
export function deleteVerb<T extends EntityBase, R = T>(
  type: string,
  guard?: (entity: T) => void,
  view?: View<T, R>,
) {
  return writeVerb({
    input: GetInputSchema,
    async apply(tx, input, call) {
      const entity = await loadEntity<T>(tx, type, call.environment, input.id);
      guard?.(entity);
      await tx.deleteEntity(type, call.environment, entity.$id);
      return {
        result: view ? view(entity) : (entity as unknown as R),
        event: {
          entityType: type,
          entityId: entity.$id,
          payload: { $id: entity.$id } as JsonObject,
          state: null,
        },
      };
    },
  });
}

/** The domain event of a verb that changed one entity. */
export function changeEvent(entity: EntityBase, payload: JsonObject, state?: JsonObject) {
  return {
    entityType: entity.$type,
    entityId: entity.$id,
    payload,
    state: state ?? stateOf(entity),
  };
}

/** How an entity type's `update` differs from the plain one. */
export interface UpdateOptions<T, R> {
  /** The entity's unique key after the change (checked for collisions), for keyed types. */
  key?: (entity: T) => string;
  /** Refuses the change, by throwing, given the current state and the fields it sets. */
  guard?: (entity: T, changes: Record<string, unknown>) => void;
  /** Derives fields of the changed entity from the fields it sets (a workflow's step times). */
  revise?: (next: T, changes: Record<string, unknown>, call: VerbCall) => T;
  /** Checks the changed entity as a whole, by throwing. */
  check?: (next: T) => void;
  /** Checks the changed entity against the store (e.g. that what it names exists), by throwing. */
  verify?: (tx: StoreWriter, next: T, changes: Record<string, unknown>) => Promise<void>;
  view?: View<T, R>;
}

/** `update`: sets the given fields (null removes one) and emits `<type>.updated { changes }`. */
export function updateVerb<S extends z.ZodType<{ id: string }>, T extends EntityBase, R = T>(
  type: string,
  input: S,
  options: UpdateOptions<T, R> = {},
) {
  return writeVerb({
    input,
    async apply(tx, parsed, call) {
      const entity = await loadEntity<T>(tx, type, call.environment, parsed.id);
      const { id: _id, ...changes } = parsed as { id: string } & Record<string, unknown>;
      options.guard?.(entity, changes);
      const patched = applyPatch(entity, changes, call);
      const next = options.revise ? options.revise(patched, changes, call) : patched;
      options.check?.(next);
      await options.verify?.(tx, next, changes);
      await saveEntity(tx, next, options.key ? options.key(next) : null);
      const shown = options.view ? options.view(next) : (next as unknown as R);
      const payload = { changes: changedFields(changes) };
      return {
        result: shown,
        event: changeEvent(next, payload, options.view ? { ...(shown as JsonObject) } : undefined),
      };
    },
  });
}
