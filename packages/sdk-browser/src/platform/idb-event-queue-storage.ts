import { promisifyRequest } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import type { TrackEvent } from '@switchyard/core/schema';
import type { EventQueueStorage } from '@switchyard/sdk-core';
import { kvStore, prefixRange, transact } from './idb-kv';

/**
 * Keeps the unsent events of client key `key` in IndexedDB, one entry per event under
 * `['event', key, seq, id]`: appending or removing touches only those events, never the whole
 * queue, and `seq` (from the clock, rising within a run) keeps them in the order they were
 * queued across reloads.
 */
export function idbEventQueueStorage(key: string, store: UseStore = kvStore()): EventQueueStorage {
  /** Where each event known to this storage is stored. */
  const keys = new Map<string, IDBValidKey>();
  let seq = 0;
  const range = () => prefixRange(['event', key]);
  const put = (s: IDBObjectStore, events: readonly TrackEvent[]): void => {
    for (const e of events) {
      seq = Math.max(seq + 1, Date.now() * 1000);
      const at = ['event', key, seq, e.id];
      s.put(e, at);
      keys.set(e.id, at);
    }
  };
  return {
    async load() {
      const [stored, values] = await store('readonly', (s) =>
        Promise.all([promisifyRequest(s.getAllKeys(range())), promisifyRequest(s.getAll(range()))]),
      );
      values.forEach((value, i) => {
        const at = stored[i] as [string, string, number];
        const id = (value as Partial<TrackEvent> | null)?.id;
        if (typeof id === 'string') keys.set(id, at);
        // Go on after the stored events even if the clock went back since they were queued.
        seq = Math.max(seq, +at[2] || 0);
      });
      return values;
    },
    append: (events) => transact(store, (s) => put(s, events)),
    remove: (ids) =>
      transact(store, (s) => {
        for (const id of ids) {
          const at = keys.get(id);
          if (at) s.delete(at);
          keys.delete(id);
        }
      }),
    save: (events) =>
      transact(store, (s) => {
        s.delete(range());
        keys.clear();
        put(s, events);
      }),
  };
}
