import type Database from 'better-sqlite3';
import { IngestQueries } from '../store/ingest-queries';
import type { SqliteExecutor } from '../store/sqlite-connection';
import type { CountedColumns } from './counted-columns';
import { receivedAtOf } from './counted-columns';

/** The events' columns, in the order each row binds them. */
const EVENT_COLUMNS = 'id, environment, type, unit, timestamp, received_at, properties';
const FIELDS = 7;
/**
 * Rows per multi-row insert: one statement for 100 events cost about a third less per event than
 * one per event here (fewer calls into SQLite, one result each); 700 parameters are far below
 * SQLite's limit.
 */
export const EVENT_CHUNK = 100;

function insertOf(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
  return `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${values} ON CONFLICT (id) DO NOTHING`;
}

/**
 * Ingestion's SQL on one better-sqlite3 connection, for the ingestion worker: `IngestQueries`,
 * and the events (most of its rows) inserted from their columns through statements prepared
 * once: EVENT_CHUNK rows per statement, the few left over one by one.
 */
export class SqliteIngestWriter extends IngestQueries {
  readonly #insertChunk: Database.Statement;
  readonly #insertOne: Database.Statement;
  readonly #storedBetween: Database.Statement;
  /** The parameters of one chunk, reused. */
  readonly #params = new Array<unknown>(EVENT_CHUNK * FIELDS);

  constructor(db: Database.Database, executor: SqliteExecutor) {
    super(executor);
    this.#insertChunk = db.prepare(insertOf(EVENT_CHUNK));
    this.#insertOne = db.prepare(insertOf(1));
    this.#storedBetween = db
      .prepare('SELECT id FROM events WHERE rowid > ? AND rowid <= ?')
      .pluck();
  }

  /**
   * Inserts the events of `batches` whose id is not stored yet, straight from their columns;
   * answers, per event in order, whether it was stored now (of an id given more than once, only
   * the first).
   */
  insertEventColumns(batches: readonly CountedColumns[]): boolean[] {
    const stored: boolean[] = [];
    const params = this.#params;
    const chunkIds: string[] = [];
    let filled = 0;
    for (const c of batches) {
      const { environment, ids, types, units, timestamps, properties } = c;
      for (let i = 0; i < ids.length; i++) {
        let p = filled * FIELDS;
        params[p++] = ids[i];
        params[p++] = environment;
        params[p++] = types[i];
        params[p++] = units[i];
        params[p++] = timestamps[i];
        params[p++] = receivedAtOf(c, i);
        params[p] = properties[i];
        chunkIds[filled++] = ids[i]!;
        if (filled === EVENT_CHUNK) {
          this.#runChunk(this.#insertChunk, params, chunkIds, stored);
          filled = 0;
        }
      }
    }
    // The rest one by one: a statement per remainder size would make up to EVENT_CHUNK of them.
    for (let r = 0; r < filled; r++) {
      const row = params.slice(r * FIELDS, (r + 1) * FIELDS);
      stored.push(this.#insertOne.run(row).changes > 0);
    }
    return stored;
  }

  /**
   * Runs one multi-row insert and pushes, per row, whether it was stored. All new is the common
   * case; otherwise the rows stored are those of the rowids it just took: SQLite gives each new
   * row the largest rowid plus one, and this connection holds the write lock, so they are
   * consecutive, ending at the last insert's.
   */
  #runChunk(statement: Database.Statement, params: unknown[], ids: string[], stored: boolean[]) {
    const { changes, lastInsertRowid } = statement.run(params);
    if (changes === ids.length) {
      for (let i = 0; i < ids.length; i++) stored.push(true);
      return;
    }
    const last = Number(lastInsertRowid);
    const fresh = new Set<string>(
      changes === 0 ? [] : (this.#storedBetween.all(last - changes, last) as string[]),
    );
    // Of an id given twice, the first row was stored: `delete` answers true once.
    for (const id of ids) stored.push(fresh.delete(id));
  }
}
