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
export class IdbEventQueueStorage implements EventQueueStorage {
  /** Where each event known to this instance is stored. */
  #keys = new Map<string, IDBValidKey>();
  #seq = 0;

  constructor(
    private readonly key: string,
    private readonly store: UseStore = kvStore(),
  ) {}

  async load(): Promise<unknown[]> {
    const range = prefixRange(['event', this.key]);
    const [keys, values] = await this.store('readonly', (s) =>
      Promise.all([promisifyRequest(s.getAllKeys(range)), promisifyRequest(s.getAll(range))]),
    );
    values.forEach((value, i) => {
      const key = keys[i] as IDBValidKey[];
      const id = (value as Partial<TrackEvent> | null)?.id;
      if (typeof id === 'string') this.#keys.set(id, key);
      // Go on after the stored events even if the clock went back since they were queued.
      if (typeof key[2] === 'number') this.#seq = Math.max(this.#seq, key[2]);
    });
    return values;
  }

  append(events: readonly TrackEvent[]): Promise<void> {
    return transact(this.store, (s) => this.#put(s, events));
  }

  remove(ids: readonly string[]): Promise<void> {
    return transact(this.store, (s) => {
      for (const id of ids) {
        const key = this.#keys.get(id);
        if (key !== undefined) s.delete(key);
        this.#keys.delete(id);
      }
    });
  }

  save(events: readonly TrackEvent[]): Promise<void> {
    return transact(this.store, (s) => {
      s.delete(prefixRange(['event', this.key]));
      this.#keys.clear();
      this.#put(s, events);
    });
  }

  #put(s: IDBObjectStore, events: readonly TrackEvent[]): void {
    for (const e of events) {
      this.#seq = Math.max(this.#seq + 1, Date.now() * 1000);
      const key = ['event', this.key, this.#seq, e.id];
      s.put(e, key);
      this.#keys.set(e.id, key);
    }
  }
}
