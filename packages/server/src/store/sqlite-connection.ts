import Database from 'better-sqlite3';
import type { Executor, Row } from './executor';

/** Prepared statements kept per connection; SQL texts are fixed, so the set stays small. */
const MAX_CACHED_STATEMENTS = 500;

/**
 * Opens a connection to the SQLite file at `path` (`:memory:` for a private database) with the
 * store's settings. WAL with `synchronous = NORMAL`: a commit survives a crash of the process
 * (it is in the WAL file when COMMIT returns); only a crash of the OS may lose the last commits.
 */
export function openSqliteConnection(path: string): Database.Database {
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** One better-sqlite3 connection seen through the async executor interface. */
export class SqliteExecutor implements Executor {
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
