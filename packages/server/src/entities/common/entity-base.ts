import * as z from 'zod';
import { ConflictError, NotFoundError } from '../../errors';
import { newId } from '../../ids';
import type { JsonObject } from '../../store/records';
import type { StoreReader, StoreWriter } from '../../store/store';
import type { VerbCall } from '../../verbs/verb';

/** The fields every stored entity carries. */
export const EntityBaseSchema = z.object({
  $id: z.string(),
  $type: z.string(),
  environment: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EntityBase = z.infer<typeof EntityBaseSchema>;

/** An entity id in an input. */
export const IdSchema = z.string().min(1).max(200);

/** The input of verbs that only name their entity (`start`, `enable`, `delete`, `get`). */
export const IdInputSchema = z.strictObject({ id: IdSchema });

/** A fresh entity's base fields. */
export function newEntityBase(type: string, call: VerbCall): EntityBase {
  const at = call.now.toISOString();
  return {
    $id: newId(type),
    $type: type,
    environment: call.environment,
    createdAt: at,
    updatedAt: at,
  };
}

/** Loads an entity by id (or, for keyed types, by key); unknown → 404. */
export async function loadEntity<T extends EntityBase>(
  reader: StoreReader,
  type: string,
  environment: string,
  idOrKey: string,
): Promise<T> {
  const record =
    (await reader.getEntity(type, environment, idOrKey)) ??
    (await reader.getEntityByKey(type, environment, idOrKey));
  if (!record) throw new NotFoundError(`no ${type} '${idOrKey}' in environment '${environment}'`);
  return record.data as T;
}

/** Writes an entity's current state; `key` must be unique per type and environment. */
export async function saveEntity(
  tx: StoreWriter,
  entity: EntityBase,
  key: string | null = null,
): Promise<void> {
  if (key !== null) {
    const holder = await tx.getEntityByKey(entity.$type, entity.environment, key);
    if (holder && holder.id !== entity.$id) {
      throw new ConflictError(
        `${entity.$type} key '${key}' is taken in environment '${entity.environment}' by ${holder.id}`,
        'key_taken',
      );
    }
  }
  await tx.putEntity({
    id: entity.$id,
    type: entity.$type,
    environment: entity.environment,
    key,
    data: entity as unknown as JsonObject,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  });
}

/** The entity with `changes` applied: undefined leaves a field, null removes it. */
export function applyPatch<T extends EntityBase>(
  entity: T,
  changes: Record<string, unknown>,
  call: VerbCall,
): T {
  const next: Record<string, unknown> = { ...entity };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  next.updatedAt = call.now.toISOString();
  return next as T;
}

/** The names of the fields an update input sets (for the `updated` event's payload). */
export function changedFields(changes: Record<string, unknown>): string[] {
  return Object.keys(changes).filter((k) => k !== 'id' && changes[k] !== undefined);
}

/** The entity as JSON for the domain log. */
export function stateOf(entity: EntityBase): JsonObject {
  return entity as unknown as JsonObject;
}
