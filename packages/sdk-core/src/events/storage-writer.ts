import type { TrackEvent } from '@switchyard/core/schema';
import type { EventQueueStorage } from '../platform/event-queue-storage';

type Operation =
  | { kind: 'append'; events: TrackEvent[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'replace'; events: readonly TrackEvent[] };

/**
 * Runs storage operations one at a time, in the order they were asked for, merging consecutive
 * appends (or removes) that have not started yet into one call: tracking a thousand events
 * costs a few writes, not a thousand. A failed operation is reported and the chain goes on.
 */
export class StorageWriter {
  #chain: Promise<void> = Promise.resolve();
  /** The last operation queued, while it has not started: it may still absorb more of its kind. */
  #open: Operation | undefined;

  constructor(
    private readonly storage: EventQueueStorage,
    private readonly onError: (error: unknown) => void,
  ) {}

  append(event: TrackEvent): void {
    if (this.#open?.kind === 'append') this.#open.events.push(event);
    else this.#enqueue({ kind: 'append', events: [event] });
  }

  remove(ids: readonly string[]): void {
    if (ids.length === 0) return;
    if (this.#open?.kind === 'remove') this.#open.ids.push(...ids);
    else this.#enqueue({ kind: 'remove', ids: [...ids] });
  }

  replace(events: readonly TrackEvent[]): void {
    this.#enqueue({ kind: 'replace', events: [...events] });
  }

  /** Reads the stored events, in turn with the writes (none can interleave with the read). */
  load(): Promise<unknown[]> {
    const result = this.#chain.then(() => this.storage.load());
    this.#open = undefined;
    this.#chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves when every operation asked for so far has finished. */
  idle(): Promise<void> {
    return this.#chain;
  }

  #enqueue(op: Operation): void {
    this.#open = op;
    this.#chain = this.#chain
      .then(() => {
        if (this.#open === op) this.#open = undefined;
        if (op.kind === 'append') return this.storage.append(op.events);
        if (op.kind === 'remove') return this.storage.remove(op.ids);
        return this.storage.save(op.events);
      })
      .catch(this.onError);
  }
}
