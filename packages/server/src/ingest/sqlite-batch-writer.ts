import type Database from 'better-sqlite3';
import { openSqliteConnection, SqliteExecutor } from '../store/sqlite-connection';
import type { SqliteShare } from '../store/sqlite-store';
import { WriteTurn } from '../store/write-turn';
import type { WrittenBatches } from './batch-writer';
import { BoundedMemory } from './bounded-memory';
import { ExposureMemory } from './exposure-memory';
import type { CountedColumns } from './counted-columns';
import { storeCountedBatches } from './store-batches';
import { SqliteIngestWriter } from './sqlite-ingest-writer';
import type { UnitState } from './unit-value';
import type { WalCheckpoints } from './wal-checkpoints';
import { checkpointPassively, WAL_FRAME_LIMIT } from './wal-checkpoints';

/** How long the writer waits for a background checkpoint to end before its own (see `tidyWal`). */
const CHECKPOINT_TURN_TIMEOUT_MS = 10_000;

/**
 * Writes groups of batches into a store's SQLite file through a connection of its own, taking
 * the file's write turn for each transaction (so it may run in another thread than the store):
 * what the ingestion worker runs. Keeps the exposures it committed (see `ExposureMemory`), and
 * the unit metric states it read or wrote: those are true as long as no other connection wrote
 * the file, which SQLite's `data_version` tells (the store's own connection writes now and then,
 * e.g. `Event.create`; the states are forgotten then). Given `checkpoints`, its commits leave the
 * WAL to a checkpointer thread (see `WalCheckpoints`) and it checkpoints only when the WAL grew
 * past WAL_FRAME_LIMIT (see `tidyWal`).
 */
export class SqliteBatchWriter {
  readonly #db: Database.Database;
  readonly #queries: SqliteIngestWriter;
  readonly #turn: WriteTurn;
  readonly #exposures = new ExposureMemory();
  readonly #states = new BoundedMemory<UnitState>();
  #dataVersion: unknown;
  #checkpoints: WalCheckpoints | undefined;

  constructor(share: SqliteShare, checkpoints?: WalCheckpoints) {
    this.#db = openSqliteConnection(share.path);
    this.#queries = new SqliteIngestWriter(this.#db, new SqliteExecutor(this.#db));
    this.#turn = new WriteTurn(share.turn);
    this.#checkpoints = checkpoints;
    if (checkpoints) this.#db.pragma('wal_autocheckpoint = 0');
  }

  /**
   * Stores `batches` in one transaction; resolves once committed. Blocks this thread while the
   * other connection has the write turn.
   */
  async write(batches: readonly CountedColumns[]): Promise<WrittenBatches> {
    this.#turn.acquireBlocking();
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      // Changed by another connection's commits only: ours since the last look leave it as is.
      const version = this.#db.pragma('data_version', { simple: true });
      if (version !== this.#dataVersion) this.#states.clear();
      this.#dataVersion = version;
      const stored = await storeCountedBatches(
        this.#queries,
        batches,
        this.#exposures,
        this.#states,
      );
      this.#db.exec('COMMIT');
      this.#checkpoints?.committed();
      this.#exposures.add(stored.exposures);
      this.#states.add(stored.unitStates);
      return { counts: stored.counts, touched: stored.touched };
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#turn.release();
    }
  }

  /**
   * Checkpoints the WAL from this connection once it holds WAL_FRAME_LIMIT frames (the
   * checkpointer copied most of them already), so that this writer's next transaction restarts
   * it from its beginning; to call between writes, after their answers went out.
   */
  tidyWal(): void {
    const checkpoints = this.#checkpoints;
    if (!checkpoints || checkpoints.walFrames < WAL_FRAME_LIMIT) return;
    if (!checkpoints.holdAsWriter(CHECKPOINT_TURN_TIMEOUT_MS)) return;
    try {
      checkpointPassively(this.#db);
      // Until the checkpointer looks again: the next transaction restarts the WAL.
      checkpoints.walFrames = 0;
    } finally {
      checkpoints.release();
    }
  }

  /** No checkpointer any more: SQLite's automatic checkpoints from this connection again. */
  checkpointAlone(): void {
    if (!this.#checkpoints) return;
    this.#checkpoints = undefined;
    this.#db.pragma('wal_autocheckpoint = 1000');
  }

  close(): void {
    this.#db.close();
  }
}
