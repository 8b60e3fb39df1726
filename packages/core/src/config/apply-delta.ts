import type { ConfigChange, ConfigSnapshot } from '../schema/config';
import { setOwnEntry } from './own-entry';

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
  let flags = snapshot.flags;
  let experiments = snapshot.experiments;
  let segments = snapshot.segments;
  for (const change of delta.changes) {
    if (change.kind === 'flag') {
      if (flags === snapshot.flags) flags = { ...flags };
      put(flags, change.key, change.value);
    } else if (change.kind === 'experiment') {
      if (experiments === snapshot.experiments) experiments = { ...experiments };
      put(experiments, change.key, change.value);
    } else {
      if (segments === snapshot.segments) segments = { ...segments };
      put(segments, change.key, change.value);
    }
  }
  return { ...snapshot, version: delta.to, flags, experiments, segments };
}

function put<T>(record: Record<string, T>, key: string, value: T | null): void {
  if (value === null) delete record[key];
  else setOwnEntry(record, key, value);
}
