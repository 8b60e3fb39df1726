import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

/** Where the store lives: a SQLite file path, `:memory:`, or a `postgres://` URL. */
export interface OpenStoreOptions {
  db: string;
  /** PostgreSQL only: the schema to use (created if missing). */
  schema?: string;
  now?: () => Date;
}

/** True when `db` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** Opens and migrates the store `db` names. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (isPostgresUrl(options.db)) {
    return PostgresStore.open({
      url: options.db,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }
  return SqliteStore.open(options.db, options.now);
}
