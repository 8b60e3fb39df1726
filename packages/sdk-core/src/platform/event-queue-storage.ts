import type { TrackEvent } from '@switchyard/core/schema';

/**
 * Persists the events waiting for delivery, so they survive a crash or a page reload. Calls are
 * made one at a time, in order. What `load` returns is validated before use.
 */
export interface EventQueueStorage {
  /** Every stored event, oldest first. */
  load(): Promise<unknown[]>;
  /** Adds events at the end. */
  append(events: readonly TrackEvent[]): Promise<void>;
  /** Forgets the events with these ids (delivered, rejected or dropped). */
  remove(ids: readonly string[]): Promise<void>;
  /** Replaces the whole content. */
  save(events: readonly TrackEvent[]): Promise<void>;
}

/** An `EventQueueStorage` held in memory: survives a client restart, not a process restart. */
export class MemoryEventQueueStorage implements EventQueueStorage {
  #events: TrackEvent[] = [];

  async load(): Promise<unknown[]> {
    return [...this.#events];
  }

  async append(events: readonly TrackEvent[]): Promise<void> {
    this.#events.push(...events);
  }

  async remove(ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    this.#events = this.#events.filter((e) => !gone.has(e.id));
  }

  async save(events: readonly TrackEvent[]): Promise<void> {
    this.#events = [...events];
  }
}
