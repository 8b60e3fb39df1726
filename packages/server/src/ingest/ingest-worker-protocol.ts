import type { WrittenBatches } from './batch-writer';
import type { CountedColumns } from './counted-columns';

/** What the main thread asks of the ingestion worker. */
export type WorkerRequest =
  { type: 'write'; id: number; batches: CountedColumns[] } | { type: 'close' };

/** What the ingestion worker answers: once at start, per write, and once closed. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'written'; id: number; result: WrittenBatches }
  | { type: 'failed'; id: number; error: unknown }
  | { type: 'closed' };
