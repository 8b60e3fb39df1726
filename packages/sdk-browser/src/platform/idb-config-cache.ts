import type { UseStore } from 'idb-keyval';
import type { ConfigCache } from '@switchyard/sdk-core';
import { kvStore, read, transact } from './idb-kv';

/** Keeps the last good config of client key `key` in IndexedDB (`['config', key]`), for offline starts. */
export function idbConfigCache(key: string, store: UseStore = kvStore()): ConfigCache {
  const at = ['config', key];
  return {
    get: () => read(store, (s) => s.get(at)),
    set: (snapshot) => transact(store, (s) => s.put(snapshot, at)),
  };
}
