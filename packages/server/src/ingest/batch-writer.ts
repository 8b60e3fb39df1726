import type { Store } from '../store/store';
import type { CountedColumns } from './counted-columns';
import { ExposureMemory } from './exposure-memory';
import type { BatchCounts } from './store-batches';
import { storeCountedBatches } from './store-batches';

/** What a committed group of batches did (see `storeCountedBatches`). */
export interface WrittenBatches {
  /** Per batch, in order: events stored now, and events stored before. */
  counts: BatchCounts[];
  /** The environment of each experiment (or guarded flag stage) whose aggregates moved, by id. */
  touched: ReadonlyMap<string, string>;
}

/** Stores groups of batches, each group in one transaction, durable when the promise resolves. */
export interface BatchWriter {
  /** Groups it may be given before the first of them committed (it commits them in order). */
  readonly inFlight: number;
  write(batches: CountedColumns[]): Promise<WrittenBatches>;
  /** Stops taking groups; the ones already taken are written first. */
  close(): Promise<void>;
}

/**
 * Writes each group through the store's own `transaction`, on this thread: the writer of
 * PostgreSQL and of in-memory SQLite, and what the worker's writer falls back to.
 */
export class StoreBatchWriter implements BatchWriter {
  readonly inFlight = 1;
  readonly #exposures = new ExposureMemory();

  constructor(private readonly store: Store) {}

  async write(batches: CountedColumns[]): Promise<WrittenBatches> {
    const stored = await this.store.transaction((tx) =>
      storeCountedBatches(tx.ingest, batches, this.#exposures),
    );
    this.#exposures.add(stored.exposures);
    return { counts: stored.counts, touched: stored.touched };
  }

  async close(): Promise<void> {
    // Nothing of its own to release: the store's transactions settle with their callers.
  }
}
