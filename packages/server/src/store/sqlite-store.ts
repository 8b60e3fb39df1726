import type Database from 'better-sqlite3';
import { migrate } from './migrate';
import { Mutex } from './mutex';
import { CommitListeners } from './commit-listeners';
import { openSqliteConnection, SqliteExecutor } from './sqlite-connection';
import { SqlQueries } from './sql-queries';
import type { CommitListener, Store, StoreReader, StoreWriter } from './store';
import { WriteTurn } from './write-turn';

/** What another thread needs to write a store's SQLite file beside it (see `SqliteStore.share`). */
export interface SqliteShare {
  path: string;
  /** The buffer of the file's `WriteTurn`. */
  turn: SharedArrayBuffer;
}

/**
 * The embedded engine: one better-sqlite3 connection in WAL mode. A single connection
 * cannot hold two transactions, so an async mutex serializes every read and transaction:
 * a reader never sees another verb's uncommitted rows between its awaits. Each read runs in
 * a read transaction, one snapshot however many statements it makes, and each write
 * transaction first takes the file's write turn: ingestion may write the same file through
 * a connection of its own in a worker thread (see `share`).
 */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly listeners = new CommitListeners();
  private readonly executor: SqliteExecutor;
  private readonly turn = new WriteTurn();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.executor = new SqliteExecutor(db);
  }

  /**
   * How another thread may write this store's file with a connection of its own: the file and
   * the turn every writer takes. Undefined for a private in-memory database.
   */
  get share(): SqliteShare | undefined {
    return this.path === ':memory:' || this.path === ''
      ? undefined
      : { path: this.path, turn: this.turn.buffer };
  }

  /** Opens (creating if needed) the database at `path` (`:memory:` for a private one) and migrates it. */
  static async open(path: string, now: () => Date = () => new Date()): Promise<SqliteStore> {
    const store = new SqliteStore(openSqliteConnection(path), path);
    await store.transaction(() => migrate(store.executor, now().toISOString()));
    return store;
  }

  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.assertOpen();
      this.db.exec('BEGIN');
      try {
        return await fn(new SqlQueries(this.executor));
      } finally {
        if (this.db.inTransaction) this.db.exec('COMMIT');
      }
    });
  }

  transaction<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T> {
    return this.mutex
      .run(async () => {
        this.assertOpen();
        const queries = new SqlQueries(this.executor);
        await this.turn.acquire();
        try {
          this.db.exec('BEGIN IMMEDIATE');
          const result = await fn(queries);
          this.db.exec('COMMIT');
          return { result, appended: queries.appended };
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
        } finally {
          this.turn.release();
        }
      })
      .then(({ result, appended }) => {
        this.listeners.announce(appended);
        return result;
      });
  }

  onCommit(listener: CommitListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    // Waits for the transactions already queued, then closes the connection.
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
