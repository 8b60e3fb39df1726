import { workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../store/sqlite-connection';
import type { CheckpointerData } from './ingest-worker-protocol';
import { checkpointPassively, WalCheckpoints } from './wal-checkpoints';

// The WAL checkpointer (started by `WorkerBatchWriter`): after each commit of the ingestion
// writer, copies the WAL into the database file from a connection of its own, so the writer
// never waits for a checkpoint's copying and fsyncs. It only reads, and never blocks a writer.
const { path, checkpoints: buffer } = workerData as CheckpointerData;
/**
 * Least time from one checkpoint to the next. Under a stream of small commits (a batch each, at
 * a steady rate) a checkpoint per commit would copy a few pages and sync the file twice each
 * time; the WAL holds a few more frames instead.
 */
const MIN_INTERVAL_MS = 50;
const checkpoints = new WalCheckpoints(buffer);
const db = openSqliteConnection(path);
let seen = checkpoints.commits;
try {
  while (!checkpoints.stopping) {
    const now = checkpoints.waitForCommit(seen, 1000);
    if (now === seen || checkpoints.stopping) continue;
    seen = now;
    // The writer is checkpointing itself: the next commit wakes this thread again.
    if (!checkpoints.tryHoldAsCheckpointer()) continue;
    try {
      checkpoints.walFrames = checkpointPassively(db);
    } finally {
      checkpoints.release();
    }
    checkpoints.rest(MIN_INTERVAL_MS);
  }
} finally {
  db.close();
}
