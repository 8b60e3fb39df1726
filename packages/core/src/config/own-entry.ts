import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '../schema/config';

/**
 * The snapshot's flag `key`, never an inherited property: config records come from JSON, and a
 * key such as `constructor` or `__proto__` must not find what objects inherit.
 */
export function flagOf(snapshot: ConfigSnapshot, key: string): FlagConfig | undefined {
  const flag = snapshot.flags[key];
  // A flag is stored under its key, so that check spares the slower own-property test.
  return flag !== undefined && (flag.key === key || Object.hasOwn(snapshot.flags, key))
    ? flag
    : undefined;
}

/** The snapshot's experiment `id`, never an inherited property. */
export function experimentOf(snapshot: ConfigSnapshot, id: string): ExperimentConfig | undefined {
  const experiment = snapshot.experiments[id];
  return experiment !== undefined &&
    (experiment.id === id || Object.hasOwn(snapshot.experiments, id))
    ? experiment
    : undefined;
}

/** Sets `record[key]` as an own entry, even for a key such as `__proto__`. */
export function setOwnEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
