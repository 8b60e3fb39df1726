import { createStore, promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';

let shared: UseStore | undefined;

/**
 * The SDK's IndexedDB store (database `switchyard`, object store `kv`), opened on first use so
 * that importing the SDK during server-side rendering touches no IndexedDB. Keys are arrays that
 * start with a kind and the client key, e.g. `['event', key, seq, id]`, so clients of several
 * keys (environments) share the store without seeing each other's entries.
 */
export const kvStore = (): UseStore => (shared ??= createStore('switchyard', 'kv'));

/** Every key that starts with `prefix` (an array key is above its prefixes, below `[...prefix, []]`). */
export const prefixRange = (prefix: IDBValidKey[]): IDBKeyRange =>
  IDBKeyRange.bound(prefix, [...prefix, []]);

/** The result of one read request. */
export const read = <T>(
  store: UseStore,
  request: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> => store('readonly', (s) => promisifyRequest(request(s)));

/** Runs `write` in one read-write transaction; resolves when it commits. */
export const transact = (store: UseStore, write: (s: IDBObjectStore) => void): Promise<void> =>
  store('readwrite', (s) => {
    write(s);
    return promisifyRequest(s.transaction);
  });
