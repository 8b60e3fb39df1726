// @switchyard/sdk-browser/sticky: sticky assignments kept in IndexedDB, opt-in so that pages
// without them do not carry their code.
import { MemoryStickyAssignmentStorage, StickyAssignments } from '@switchyard/sdk-core';
import type { StickyAssignmentStorage } from '@switchyard/sdk-core';
import { idbStickyStorage } from './idb-sticky-storage';

export { idbStickyStorage } from './idb-sticky-storage';
export { StickyAssignments } from '@switchyard/sdk-core';

/**
 * Sticky assignments for `createClient({ ..., stickyAssignments: stickyAssignments() })`: a
 * unit keeps the variant a read first served it in a running experiment, even when the weights
 * change, until the experiment ends. Kept in IndexedDB per client key (in memory where there is
 * no IndexedDB), unless `storage` is given.
 */
export function stickyAssignments(storage?: StickyAssignmentStorage): StickyAssignments {
  return new StickyAssignments(
    storage ??
      ((key) =>
        typeof indexedDB === 'undefined'
          ? new MemoryStickyAssignmentStorage()
          : idbStickyStorage(key)),
  );
}
