import type { TrackEvent } from '@switchyard/core/schema';
import type { EventQueueStorage } from '../platform/event-queue-storage';

/** Serialized writes to an `EventQueueStorage`; see {@link storageWriter}. */
export interface StorageWriter {
  append(event: TrackEvent): void;
  remove(ids: readonly string[]): unknown;
  replace(events: readonly TrackEvent[]): void;
  /** Reads the stored events, in turn with the writes (none can interleave with the read). */
  load(): Promise<unknown[]>;
  /** Resolves when every operation asked for so far has finished. */
  idle(): Promise<unknown>;
}

/**
 * Runs storage operations one at a time, in the order they were asked for, merging consecutive
 * appends (or removes) that have not started yet into one call: tracking a thousand events
 * costs a few writes, not a thousand. A failed operation is reported and the chain goes on.
 * Without a storage, nothing is kept.
 */
export function storageWriter(
  storage: EventQueueStorage | undefined,
  onError: (error: unknown) => void,
): StorageWriter {
  let chain: Promise<unknown> = Promise.resolve();
  /** The last operation queued, while it has not started: it may still absorb more of its kind. */
  let open: [kind: 'append' | 'remove' | 'save', items: any[]] | undefined;
  const enqueue = (kind: 'append' | 'remove' | 'save', items: readonly unknown[]): void => {
    if (open?.[0] === kind && kind !== 'save') open[1].push(...items);
    else {
      const op: typeof open = (open = [kind, [...items]]);
      chain = chain
        .then(() => {
          if (open === op) open = undefined;
          return storage?.[kind](op[1]);
        })
        .catch(onError);
    }
  };
  return {
    append: (event) => enqueue('append', [event]),
    remove: (ids) => ids.length && enqueue('remove', ids),
    replace: (events) => enqueue('save', events),
    load() {
      const result = chain.then(() => storage?.load() ?? []);
      open = undefined;
      chain = result.catch(() => {});
      return result;
    },
    idle: () => chain,
  };
}
