import type { RejectedEvent } from '@switchyard/core/schema';
import { SwitchyardError } from '../errors';
import type { Clock } from '../clock';
import type { Store } from '../store/store';
import type { KeyRecord } from '../store/records';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { SqliteStore } from '../store/sqlite-store';
import type { BatchWriter } from './batch-writer';
import { StoreBatchWriter } from './batch-writer';
import type { CountedColumns } from './counted-columns';
import { checkEvents, toCountedColumns } from './event-batch';
import { GroupCommit } from './group-commit';
import type { MetricCatalogs } from './metric-catalogs';
import type { RateLimit } from './rate-limiter';
import { RateLimiter } from './rate-limiter';
import type { BatchCounts } from './store-batches';
import { WorkerBatchWriter } from './worker-batch-writer';

/** The answer to a batch: how many events were stored, already there, or refused. */
export interface BatchAnswer {
  batchId: string;
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
}

/** The key sent more events than its rate allows: retry after `retryAfterMs`. */
export class RateLimitedError extends SwitchyardError {
  constructor(readonly retryAfterMs: number) {
    super(429, 'rate_limited', `too many events; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/**
 * Hears each ingestion commit: the experiments (and guarded flag stages) whose aggregates moved,
 * with their environment, by id.
 */
export type IngestListener = (touched: ReadonlyMap<string, string>) => void;

/** Hears each batch's answer, once per batch (for metrics). */
export type BatchListener = (answer: BatchAnswer) => void;

/** Options of `Ingestor`. */
export interface IngestorOptions {
  store: Store;
  catalogs: MetricCatalogs;
  clock: Clock;
  /** Per-key token bucket over events (default 200,000/s, bursts of 400,000); false for none. */
  rateLimit?: RateLimit | false;
  /** Most events one commit carries (default 20,000). */
  maxGroupEvents?: number;
  /**
   * On a SQLite file, write from a worker thread with a connection of its own, so the SQLite
   * work of one group overlaps with reading the next requests (default true); elsewhere (or
   * false) on this thread, through the store's transactions.
   */
  worker?: boolean;
  /** Where a failure of the worker is told (it then falls back to this thread). */
  logger?: Logger;
}

/**
 * The default per-key rate. A client key is shared by every browser of a site, so it is high: a
 * brake on a runaway sender, not a quota.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 200_000, burst: 400_000 };

/**
 * Takes batches of events from SDKs (HTTP or socket) and answers once they are durable: checks
 * the key's rate, validates each event (bad ones are refused one by one), and hands the valid ones
 * to a group commit, which stores the batches of concurrent requests in one transaction with the
 * exposures and aggregates they move (see `storeBatches`).
 */
export class Ingestor {
  readonly #limiter: RateLimiter | undefined;
  readonly #commits: GroupCommit<CountedColumns, BatchCounts>;
  readonly #writer: BatchWriter;
  readonly #listeners = new Set<IngestListener>();
  readonly #batchListeners = new Set<BatchListener>();

  constructor(private readonly o: IngestorOptions) {
    const limit = o.rateLimit === undefined ? DEFAULT_RATE_LIMIT : o.rateLimit;
    this.#limiter = limit ? new RateLimiter(limit, () => o.clock.now().getTime()) : undefined;
    const here = new StoreBatchWriter(o.store);
    const share = o.store instanceof SqliteStore ? o.store.share : undefined;
    this.#writer =
      share && o.worker !== false
        ? new WorkerBatchWriter(share, here, o.logger ?? silentLogger)
        : here;
    this.#commits = new GroupCommit((batches) => this.#write(batches), {
      weight: (b) => b.ids.length,
      maxWeight: o.maxGroupEvents ?? 20000,
      inFlight: this.#writer.inFlight,
    });
  }

  /**
   * Stores a batch for `key` in `environment`; resolves once it is committed. Throws a
   * RateLimitedError when the key is over its rate (nothing is stored then).
   */
  async ingest(
    key: KeyRecord,
    environment: string,
    batchId: string,
    events: readonly unknown[],
  ): Promise<BatchAnswer> {
    const wait = this.#limiter?.take(key.id, Math.max(1, events.length)) ?? 0;
    if (wait > 0) throw new RateLimitedError(wait);
    const { valid, rejected } = checkEvents(events);
    if (valid.length === 0)
      return this.#answered({ batchId, accepted: 0, duplicates: 0, rejected });
    const received = this.o.clock.now();
    const catalog = await this.o.catalogs.get(environment);
    const counts = await this.#commits.submit(
      toCountedColumns(valid, environment, received, catalog),
    );
    return this.#answered({ batchId, ...counts, rejected });
  }

  /** Calls `listener` with the answer of each batch taken; answers the unsubscribe. */
  onBatch(listener: BatchListener): () => void {
    this.#batchListeners.add(listener);
    return () => this.#batchListeners.delete(listener);
  }

  /** Calls `listener` after each commit that moved aggregates; answers the unsubscribe. */
  onCommit(listener: IngestListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waits for the batches already taken to be committed. */
  drain(): Promise<void> {
    return this.#commits.drain();
  }

  /** Commits the batches already taken, then stops the worker (if any). */
  async close(): Promise<void> {
    await this.drain();
    await this.#writer.close();
  }

  #answered(answer: BatchAnswer): BatchAnswer {
    for (const listener of this.#batchListeners) {
      try {
        listener(answer);
      } catch {
        // A listener's failure is its own; the batch is answered.
      }
    }
    return answer;
  }

  async #write(batches: CountedColumns[]): Promise<BatchCounts[]> {
    const stored = await this.#writer.write(batches);
    if (stored.touched.size > 0) {
      for (const listener of this.#listeners) {
        try {
          listener(stored.touched);
        } catch {
          // A listener's failure is its own; the batches are committed.
        }
      }
    }
    return stored.counts;
  }
}
