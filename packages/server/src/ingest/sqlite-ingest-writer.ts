import type Database from 'better-sqlite3';
import { IngestQueries } from '../store/ingest-queries';
import type { SqliteExecutor } from '../store/sqlite-connection';
import type { CountedColumns } from './counted-columns';
import { receivedAtOf } from './counted-columns';

/**
 * Ingestion's SQL on one better-sqlite3 connection, for the ingestion worker: `IngestQueries`,
 * and the events (most of its rows) inserted from their columns through one statement prepared
 * once, bound field by field: no object, parameter array or spread per event.
 */
export class SqliteIngestWriter extends IngestQueries {
  readonly #insertEvent: Database.Statement;

  constructor(db: Database.Database, executor: SqliteExecutor) {
    super(executor);
    this.#insertEvent = db.prepare(
      `INSERT INTO events (id, environment, type, unit, timestamp, received_at, properties)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
  }

  /**
   * Inserts the events of `batches` whose id is not stored yet, straight from their columns;
   * answers, per event in order, whether it was stored now (of an id given more than once, only
   * the first).
   */
  insertEventColumns(batches: readonly CountedColumns[]): boolean[] {
    const insert = this.#insertEvent;
    const stored: boolean[] = [];
    for (const c of batches) {
      const { environment, ids, types, units, timestamps, properties } = c;
      // One statement per row: a repeated id is ignored by the row that repeats it.
      for (let i = 0; i < ids.length; i++) {
        const at = receivedAtOf(c, i);
        stored.push(
          insert.run(ids[i], environment, types[i], units[i], timestamps[i], at, properties[i])
            .changes > 0,
        );
      }
    }
    return stored;
  }
}
