import type { WrittenBatches } from './batch-writer';
import type { CountedBatch } from './store-batches';

/** What the main thread asks of the ingestion worker. */
export type WorkerRequest =
  { type: 'write'; id: number; batches: CountedBatch[] } | { type: 'close' };

/** What the ingestion worker answers: once at start, per write, and once closed. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'written'; id: number; result: WrittenBatches }
  | { type: 'failed'; id: number; error: unknown }
  | { type: 'closed' };
