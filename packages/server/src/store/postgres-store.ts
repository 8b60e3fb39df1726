import pg from 'pg';
import { commitChannel, commitNotice } from './commit-channel';
import { CommitListeners } from './commit-listeners';
import type { Executor, Row } from './executor';
import { migrate } from './migrate';
import { SqlQueries } from './sql-queries';
import type { CommitListener, Store, StoreReader, StoreWriter } from './store';

/** Serializes writers across every instance on the database (an arbitrary, fixed number). */
const WRITE_LOCK = 0x5357_4954;
/** Serializes migrations when several instances start at once. */
const MIGRATE_LOCK = 0x5357_4d47;

/** Options of the PostgreSQL engine. */
export interface PostgresStoreOptions {
  /** A `postgres://` connection string. */
  url: string;
  /** Schema to use instead of the default search path (created if missing). */
  schema?: string;
  /** Most pooled connections (default 10). */
  poolSize?: number;
  now?: () => Date;
}

/** One pooled client seen through the executor interface, with `?` turned into `$n`. */
class PostgresExecutor implements Executor {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: pg.PoolClient) {}

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.client.query(numbered(sql), params as unknown[])).rows as Row[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.client.query(numbered(sql), params as unknown[])).rowCount ?? 0;
  }

  async runEach(sql: string, rows: readonly (readonly unknown[])[]): Promise<number[]> {
    const changed: number[] = [];
    for (const params of rows) changed.push(await this.run(sql, params));
    return changed;
  }

  async firstOfEach(
    sql: string,
    rows: readonly (readonly unknown[])[],
  ): Promise<(Row | undefined)[]> {
    const first: (Row | undefined)[] = [];
    for (const params of rows) first.push((await this.all(sql, params))[0]);
    return first;
  }
}

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The engine for several instances: a `pg` pool. Write transactions take a transaction-level
 * advisory lock first, so writers are serialized across instances: log seqs are allocated and
 * become visible in order, without gaps, and read-modify-write verbs never lose an update.
 * Reads run in a REPEATABLE READ snapshot.
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  private readonly listeners = new CommitListeners();
  /** Where every commit that appends log rows is announced (see `commitChannel`). */
  readonly channel: string;

  private constructor(
    private readonly pool: pg.Pool,
    /** How to reach the database, for connections of their own (LISTEN). */
    readonly connection: { url: string; schema?: string },
  ) {
    this.channel = commitChannel(connection.schema);
  }

  /** Connects, creates the schema if one is named, and migrates. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema;
    if (schema !== undefined) {
      const admin = new pg.Client({ connectionString: options.url });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(schema === undefined ? {} : { options: `-c search_path=${quoteIdentifier(schema)}` }),
    });
    // An idle client's network error must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, {
      url: options.url,
      ...(schema === undefined ? {} : { schema }),
    });
    const now = (options.now ?? (() => new Date()))().toISOString();
    await store.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
        await migrate(new PostgresExecutor(client), now);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
    return store;
  }

  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false, fn).then(
      ({ result }) => result,
    );
  }

  async transaction<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T> {
    const { result, appended } = await this.inTransaction('BEGIN', true, fn);
    this.listeners.announce(appended);
    return result;
  }

  onCommit(listener: CommitListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async inTransaction<T>(
    begin: string,
    write: boolean,
    fn: (queries: SqlQueries) => Promise<T>,
  ): Promise<{ result: T; appended: SqlQueries['appended'] }> {
    return this.withClient(async (client) => {
      await client.query(begin);
      try {
        if (write) await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
        const queries = new SqlQueries(new PostgresExecutor(client));
        const result = await fn(queries);
        // Delivered at commit (and only then): other instances read the new rows from the log.
        if (queries.appended.length > 0) {
          await client.query('SELECT pg_notify($1, $2)', [
            this.channel,
            commitNotice(queries.appended),
          ]);
        }
        await client.query('COMMIT');
        return { result, appended: queries.appended };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }
}
