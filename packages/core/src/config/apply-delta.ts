import type { ConfigChange, ConfigSnapshot } from '../schema/config';

/** The changes that take a snapshot from version `from` to version `to`. */
export interface ConfigDelta {
  readonly from: number;
  readonly to: number;
  readonly changes: readonly ConfigChange[];
}

/**
 * The snapshot after `delta`, or null when the delta does not start at the snapshot's version
 * (a gap, or a delta going backwards): the client must then resync from a full snapshot.
 * A change with value null removes the entity. Pure: the input is not touched, and entities the
 * delta does not name are shared with the new snapshot (so their compiled forms stay cached).
 */
export function applyDelta(snapshot: ConfigSnapshot, delta: ConfigDelta): ConfigSnapshot | null {
  if (delta.from !== snapshot.version || delta.to < delta.from) return null;
  const next: Record<string, unknown> = { ...snapshot, version: delta.to };
  const changed: Record<string, Map<string, unknown>> = {};
  for (const { kind, key, value } of delta.changes) {
    const field = kind === 'flag' ? 'flags' : kind === 'experiment' ? 'experiments' : 'segments';
    const entries = (changed[field] ??= new Map(Object.entries(snapshot[field])));
    if (value === null) entries.delete(key);
    else entries.set(key, value);
  }
  // fromEntries defines own entries, so a key such as `__proto__` stays a plain key.
  for (const field in changed) next[field] = Object.fromEntries(changed[field]!);
  return next as ConfigSnapshot;
}
