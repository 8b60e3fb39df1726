import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '../schema/config';

/**
 * `record[key]`, never an inherited property: config records come from JSON, and a key such as
 * `constructor` or `__proto__` must not find what objects inherit. An entity is stored under
 * its own `field` (key or id), so that check spares the slower own-property test.
 */
function ownEntity<T extends object>(
  record: Record<string, T>,
  key: string,
  field: keyof T,
): T | undefined {
  const entity = record[key];
  return entity !== undefined && (entity[field] === key || Object.hasOwn(record, key))
    ? entity
    : undefined;
}

/** The snapshot's flag `key`, never an inherited property. */
export const flagOf = (snapshot: ConfigSnapshot, key: string): FlagConfig | undefined =>
  ownEntity(snapshot.flags, key, 'key');

/** The snapshot's experiment `id`, never an inherited property. */
export const experimentOf = (snapshot: ConfigSnapshot, id: string): ExperimentConfig | undefined =>
  ownEntity(snapshot.experiments, id, 'id');

/** Sets `record[key]` as an own entry, even for a key such as `__proto__`. */
export function setOwnEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
