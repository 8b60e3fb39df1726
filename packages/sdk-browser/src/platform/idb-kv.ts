import { createStore, promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';

let shared: UseStore | undefined;

/**
 * The SDK's IndexedDB store (database `switchyard`, object store `kv`), opened on first use so
 * that importing the SDK during server-side rendering touches no IndexedDB. Keys are arrays that
 * start with a kind and the client key, e.g. `['event', key, id]`, so clients of several keys
 * (environments) share the store without seeing each other's entries.
 */
export function kvStore(): UseStore {
  return (shared ??= createStore('switchyard', 'kv'));
}

/** Every key that starts with `prefix` (an array key is above its prefixes, below `[...prefix, []]`). */
export function prefixRange(prefix: IDBValidKey[]): IDBKeyRange {
  return IDBKeyRange.bound(prefix, [...prefix, []]);
}

/** The values under `prefix`, in key order. */
export function readPrefix(store: UseStore, prefix: IDBValidKey[]): Promise<unknown[]> {
  return store('readonly', (s) => promisifyRequest(s.getAll(prefixRange(prefix))));
}

/** Runs `write` in one read-write transaction; resolves when it commits. */
export function transact(store: UseStore, write: (s: IDBObjectStore) => void): Promise<void> {
  return store('readwrite', (s) => {
    write(s);
    return promisifyRequest(s.transaction);
  });
}
