import { applyDelta } from '@switchyard/core';
import type { ConfigSnapshot, DeltaMessage } from '@switchyard/core/schema';
import { Listeners } from '../client/listeners';
import { keysOfChanges, keysOfDifference } from './changed-keys';
import type { ChangedKeys } from './changed-keys';
import { withDependents } from './dependents';

/** Where a config came from. */
export type ConfigSource = 'bootstrap' | 'cache' | 'server';

/**
 * A new config took effect. `flags` and `experiments` list every key whose evaluation may have
 * changed, including flags that depend on a changed experiment, segment or prerequisite; an
 * empty list means nothing a reader sees changed (e.g. the first server answer equals the cache).
 */
export interface ConfigChangeEvent extends ChangedKeys {
  version: number;
  source: ConfigSource;
  /** The version before, or undefined for the first config. */
  previousVersion: number | undefined;
}

/** The outcome of `ConfigStore.applyDelta`. */
export type DeltaOutcome = 'applied' | 'stale' | 'gap';

/**
 * Holds the current config snapshot and tells listeners what changed. Snapshots are replaced
 * whole; deltas go through core's `applyDelta`, so a delta that does not start at the current
 * version is refused as a gap and the caller resyncs.
 */
export class ConfigStore {
  #snapshot: ConfigSnapshot | undefined;
  #listeners = new Listeners<ConfigChangeEvent>();

  /** The current config, or undefined before the first one. */
  get snapshot(): ConfigSnapshot | undefined {
    return this.#snapshot;
  }

  /** The current config's version, or undefined before the first one. */
  get version(): number | undefined {
    return this.#snapshot?.version;
  }

  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: (event: ConfigChangeEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Replaces the config with `snapshot`. */
  replace(snapshot: ConfigSnapshot, source: ConfigSource): ConfigChangeEvent {
    const before = this.#snapshot;
    return this.#commit(snapshot, source, keysOfDifference(before, snapshot));
  }

  /**
   * Applies a delta. `stale` means the delta ends at or before the current version (a late
   * duplicate, ignored); `gap` means it does not start at the current version (resync).
   */
  applyDelta(delta: DeltaMessage, source: ConfigSource = 'server'): DeltaOutcome {
    const current = this.#snapshot;
    if (current === undefined) return 'gap';
    if (delta.to <= current.version && delta.from !== current.version) return 'stale';
    const next = applyDelta(current, delta);
    if (next === null) return 'gap';
    this.#commit(next, source, keysOfChanges(delta.changes));
    return 'applied';
  }

  #commit(snapshot: ConfigSnapshot, source: ConfigSource, direct: ChangedKeys): ConfigChangeEvent {
    const previousVersion = this.#snapshot?.version;
    this.#snapshot = snapshot;
    const event = {
      ...withDependents(snapshot, direct),
      version: snapshot.version,
      source,
      previousVersion,
    };
    this.#listeners.emit(event);
    return event;
  }
}
