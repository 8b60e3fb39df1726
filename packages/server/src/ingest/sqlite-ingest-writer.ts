import type Database from 'better-sqlite3';
import type { EventRow } from '../store/ingest-queries';
import { IngestQueries } from '../store/ingest-queries';
import type { SqliteExecutor } from '../store/sqlite-connection';

/**
 * Ingestion's SQL on one better-sqlite3 connection, for the ingestion worker: as `IngestQueries`,
 * but the events (most of its rows) go through one statement prepared once, each row bound from
 * its fields, with no parameter array per event and no spread (a tenth of the worker's time).
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

  override async insertEvents(events: readonly EventRow[]): Promise<boolean[]> {
    const insert = this.#insertEvent;
    const stored = new Array<boolean>(events.length);
    // One statement per row: a repeated id is ignored by the row that repeats it.
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      stored[i] =
        insert.run(e.id, e.environment, e.type, e.unit, e.timestamp, e.receivedAt, e.propertiesJson)
          .changes > 0;
    }
    return stored;
  }
}
