import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres-store';
import { SqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';

/** The PostgreSQL the tests use. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A store engine under test: `open` makes a fresh, empty store; `dispose` removes it. */
export interface Engine {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store. */
  open(now?: () => Date): Promise<OpenedStore>;
  /** `createServer` options for a fresh database of this engine, and how to remove it. */
  serverDb(): { db: string; schema?: string; dispose(): Promise<void> };
}

export interface OpenedStore {
  store: Store;
  db: string;
  schema?: string;
  dispose(): Promise<void>;
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(`PostgreSQL is required under CI but does not answer at ${POSTGRES_URL}`, {
        cause: error,
      });
    }
    console.warn(
      `NOTICE: PostgreSQL does not answer at ${POSTGRES_URL}; skipping the PostgreSQL runs.`,
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a test schema. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A fresh schema name, so parallel test files never share tables. */
export function freshSchema(): string {
  return `sy_${randomBytes(6).toString('hex')}`;
}

const sqlite: Engine = {
  name: 'sqlite',
  async open(now) {
    const store = await SqliteStore.open(':memory:', now);
    return { store, db: ':memory:', dispose: () => store.close() };
  },
  serverDb: () => ({ db: ':memory:', dispose: async () => undefined }),
};

const postgres: Engine = {
  name: 'postgres',
  async open(now) {
    const schema = freshSchema();
    const store = await PostgresStore.open({
      url: POSTGRES_URL,
      schema,
      poolSize: 4,
      ...(now ? { now } : {}),
    });
    return {
      store,
      db: POSTGRES_URL,
      schema,
      async dispose() {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
  serverDb() {
    const schema = freshSchema();
    return { db: POSTGRES_URL, schema, dispose: () => dropSchema(schema) };
  },
};

/** The engines to run: SQLite always, PostgreSQL when it answers (always under CI). */
export const ENGINES: Engine[] = (await postgresAnswers()) ? [sqlite, postgres] : [sqlite];
