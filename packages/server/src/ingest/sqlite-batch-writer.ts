import type Database from 'better-sqlite3';
import { openSqliteConnection, SqliteExecutor } from '../store/sqlite-connection';
import type { SqliteShare } from '../store/sqlite-store';
import { SqlQueries } from '../store/sql-queries';
import { WriteTurn } from '../store/write-turn';
import type { WrittenBatches } from './batch-writer';
import { ExposureMemory } from './exposure-memory';
import type { CountedBatch } from './store-batches';
import { storeCountedBatches } from './store-batches';

/**
 * Writes groups of batches into a store's SQLite file through a connection of its own, taking
 * the file's write turn for each transaction (so it may run in another thread than the store):
 * what the ingestion worker runs. Keeps the exposures it committed (see `ExposureMemory`).
 */
export class SqliteBatchWriter {
  readonly #db: Database.Database;
  readonly #executor: SqliteExecutor;
  readonly #turn: WriteTurn;
  readonly #exposures = new ExposureMemory();

  constructor(share: SqliteShare) {
    this.#db = openSqliteConnection(share.path);
    this.#executor = new SqliteExecutor(this.#db);
    this.#turn = new WriteTurn(share.turn);
  }

  /**
   * Stores `batches` in one transaction; resolves once committed. Blocks this thread while the
   * other connection has the write turn.
   */
  async write(batches: readonly CountedBatch[]): Promise<WrittenBatches> {
    this.#turn.acquireBlocking();
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      const tx = new SqlQueries(this.#executor);
      const stored = await storeCountedBatches(tx.ingest, batches, this.#exposures);
      this.#db.exec('COMMIT');
      this.#exposures.add(stored.exposures);
      return { counts: stored.counts, touched: stored.touched };
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#turn.release();
    }
  }

  close(): void {
    this.#db.close();
  }
}
