import type { UseStore } from 'idb-keyval';
import type { StickyAssignmentStorage } from '@switchyard/sdk-core';
import { kvStore, prefixRange, read, transact } from '../platform/idb-kv';

/** Keeps the sticky assignments of client key `key` in IndexedDB, under `['sticky', key, experiment, unit]`. */
export function idbStickyStorage(
  key: string,
  store: UseStore = kvStore(),
): StickyAssignmentStorage {
  return {
    load: () => read(store, (s) => s.getAll(prefixRange(['sticky', key]))),
    set: (a) => transact(store, (s) => s.put(a, ['sticky', key, a.experiment, a.unit])),
    removeExperiments: (experiments) =>
      transact(store, (s) => {
        for (const id of experiments) s.delete(prefixRange(['sticky', key, id]));
      }),
  };
}
