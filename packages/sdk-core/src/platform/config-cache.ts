import type { ConfigSnapshot } from '@switchyard/core/schema';

/**
 * Keeps the last good config across restarts (IndexedDB in browsers, a file in Node), so a
 * client can start with flags while the server is unreachable. What `get` returns is validated
 * before use, so a corrupt or foreign cache entry is ignored rather than trusted.
 */
export interface ConfigCache {
  /** The last snapshot stored, or undefined. */
  get(): Promise<unknown>;
  set(snapshot: ConfigSnapshot): Promise<void>;
}

/** A `ConfigCache` held in memory, for as long as the object lives. */
export class MemoryConfigCache implements ConfigCache {
  #value: ConfigSnapshot | undefined;

  async get(): Promise<unknown> {
    return this.#value;
  }

  async set(snapshot: ConfigSnapshot): Promise<void> {
    this.#value = snapshot;
  }
}
