import type { UseStore } from 'idb-keyval';
import type { StickyAssignment, StickyAssignmentStorage } from '@switchyard/sdk-core';
import { kvStore, prefixRange, readPrefix, transact } from '../platform/idb-kv';

/** Keeps the sticky assignments of client key `key` in IndexedDB, under `['sticky', key, experiment, unit]`. */
export class IdbStickyStorage implements StickyAssignmentStorage {
  constructor(
    private readonly key: string,
    private readonly store: UseStore = kvStore(),
  ) {}

  load(): Promise<unknown[]> {
    return readPrefix(this.store, ['sticky', this.key]);
  }

  set(a: StickyAssignment): Promise<void> {
    return transact(this.store, (s) => {
      s.put(a, ['sticky', this.key, a.experiment, a.unit]);
    });
  }

  removeExperiments(experiments: readonly string[]): Promise<void> {
    return transact(this.store, (s) => {
      for (const id of experiments) s.delete(prefixRange(['sticky', this.key, id]));
    });
  }
}
