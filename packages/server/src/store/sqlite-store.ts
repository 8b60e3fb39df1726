import Database from 'better-sqlite3';
import type { Executor, Row } from './executor';
import { migrate } from './migrate';
import { Mutex } from './mutex';
import { CommitListeners } from './commit-listeners';
import { SqlQueries } from './sql-queries';
import type { CommitListener, Store, StoreReader, StoreWriter } from './store';

/** Prepared statements kept per connection; SQL texts are fixed, so the set stays small. */
const MAX_CACHED_STATEMENTS = 500;

/** One better-sqlite3 connection seen through the async executor interface. */
class SqliteExecutor implements Executor {
  readonly dialect = 'sqlite' as const;
  // Preparing costs more than running a small statement: ingestion runs thousands a second.
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const statement = this.prepare(sql);
    return statement.reader ? (statement.all(...params) as Row[]) : (statement.run(...params), []);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }

  // One promise for the whole list: a batch of events costs its statements, not as many awaits.
  async runEach(sql: string, rows: readonly (readonly unknown[])[]): Promise<number[]> {
    const statement = this.prepare(sql);
    return rows.map((params) => statement.run(...params).changes);
  }

  async firstOfEach(
    sql: string,
    rows: readonly (readonly unknown[])[],
  ): Promise<(Row | undefined)[]> {
    const statement = this.prepare(sql);
    return rows.map((params) => statement.get(...params) as Row | undefined);
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The embedded engine: one better-sqlite3 connection in WAL mode. A single connection
 * cannot hold two transactions, so an async mutex serializes every read and transaction:
 * a reader never sees another verb's uncommitted rows between its awaits.
 */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly listeners = new CommitListeners();
  private readonly executor: SqliteExecutor;
  private closed = false;

  private constructor(private readonly db: Database.Database) {
    this.executor = new SqliteExecutor(db);
  }

  /** Opens (creating if needed) the database at `path` (`:memory:` for a private one) and migrates it. */
  static async open(path: string, now: () => Date = () => new Date()): Promise<SqliteStore> {
    const db = new Database(path);
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    // WAL with NORMAL sync survives a process crash; only an OS crash may lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const store = new SqliteStore(db);
    await store.transaction(() => migrate(store.executor, now().toISOString()));
    return store;
  }

  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
    return this.mutex.run(() => {
      this.assertOpen();
      return fn(new SqlQueries(this.executor));
    });
  }

  transaction<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T> {
    return this.mutex
      .run(async () => {
        this.assertOpen();
        const queries = new SqlQueries(this.executor);
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(queries);
          this.db.exec('COMMIT');
          return { result, appended: queries.appended };
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
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
