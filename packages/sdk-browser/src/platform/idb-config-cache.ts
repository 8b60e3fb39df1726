import { get, set } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import type { ConfigSnapshot } from '@switchyard/core';
import type { ConfigCache } from '@switchyard/sdk-core';
import { kvStore } from './idb-kv';

/** Keeps the last good config of client key `key` in IndexedDB, for offline starts. */
export class IdbConfigCache implements ConfigCache {
  constructor(
    private readonly key: string,
    private readonly store: UseStore = kvStore(),
  ) {}

  get(): Promise<unknown> {
    return get(['config', this.key], this.store);
  }

  set(snapshot: ConfigSnapshot): Promise<void> {
    return set(['config', this.key], snapshot, this.store);
  }
}
