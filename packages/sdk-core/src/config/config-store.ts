import { applyDelta } from '@switchyard/core';
import type { ConfigSnapshot, DeltaMessage } from '@switchyard/core/schema';
import { emitter } from '../client/emitter';
import { changedKeys } from './changed-keys';
import type { ChangedKeys } from './changed-keys';

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
  #events = emitter<{ change: ConfigChangeEvent }>();

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
    return this.#events.on('change', listener);
  }

  /** Replaces the config with `snapshot`. */
  replace(snapshot: ConfigSnapshot, source: ConfigSource): ConfigChangeEvent {
    const before = this.#snapshot;
    this.#snapshot = snapshot;
    const event = {
      ...changedKeys(before, snapshot),
      version: snapshot.version,
      source,
      previousVersion: before?.version,
    };
    this.#events.emit('change', event);
    return event;
  }

  /**
   * Applies a delta. `stale` means the delta ends at or before the current version (a late
   * duplicate, ignored); `gap` means it does not start at the current version (resync).
   */
  applyDelta(delta: DeltaMessage, source: ConfigSource = 'server'): DeltaOutcome {
    const current = this.#snapshot;
    if (current && delta.to <= current.version && delta.from !== current.version) return 'stale';
    const next = current && applyDelta(current, delta);
    if (!next) return 'gap';
    this.replace(next, source);
    return 'applied';
  }
}
