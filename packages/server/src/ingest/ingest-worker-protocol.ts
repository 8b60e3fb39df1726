import type { SqliteShare } from '../store/sqlite-store';
import type { WrittenBatches } from './batch-writer';
import type { CountedColumns } from './counted-columns';

/** What the ingestion worker starts with: the file, and the checkpoint state it shares. */
export interface IngestWorkerData extends SqliteShare {
  checkpoints: SharedArrayBuffer;
}

/** What the checkpointer starts with. */
export interface CheckpointerData {
  path: string;
  checkpoints: SharedArrayBuffer;
}

/** What the main thread asks of the ingestion worker. */
export type WorkerRequest =
  | { type: 'write'; id: number; batches: CountedColumns[] }
  /** The checkpointer is gone: SQLite's automatic checkpoints again. */
  | { type: 'checkpoint-alone' }
  | { type: 'close' };

/** What the ingestion worker answers: once at start, per write, and once closed. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'written'; id: number; result: WrittenBatches }
  | { type: 'failed'; id: number; error: unknown }
  | { type: 'closed' };
