import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountedColumns } from '../src/ingest/counted-columns';
import { emptyColumns } from '../src/ingest/counted-columns';
import { EVENT_CHUNK, SqliteIngestWriter } from '../src/ingest/sqlite-ingest-writer';
import { openSqliteConnection, SqliteExecutor } from '../src/store/sqlite-connection';
import { SqliteStore } from '../src/store/sqlite-store';

let dir: string;
let path: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-writer-'));
  path = join(dir, 'switchyard.sqlite');
  // The store's migrations make the tables; the writer then has a connection of its own.
  await (await SqliteStore.open(path)).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function columns(environment: string, ids: string[]): CountedColumns {
  return {
    ...emptyColumns(environment, '2026-03-02T09:00:00.000Z', ids.length),
    ids,
    types: ids.map((id) => `type-of-${id}`),
    units: ids.map((id, i) => (i % 3 === 0 ? null : `unit-${id}`)),
    timestamps: Float64Array.from(ids, (_, i) => 1_770_000_000_000 + i),
    properties: ids.map((id) => JSON.stringify({ id })),
  };
}

describe('SqliteIngestWriter', () => {
  it('stores each id once, the first time it comes, across chunks, batches and groups', () => {
    const db = openSqliteConnection(path);
    const writer = new SqliteIngestWriter(db, new SqliteExecutor(db));
    let round = 0;
    try {
      // Ids from a small pool, in batches of sizes around the chunk's: repeats fall inside a
      // chunk, across chunks, across batches of a group and across groups.
      const group = fc.array(
        fc.array(fc.integer({ min: 0, max: EVENT_CHUNK * 3 }), {
          maxLength: EVENT_CHUNK * 3,
          size: 'max',
        }),
        { minLength: 1, maxLength: 4 },
      );
      fc.assert(
        fc.property(fc.array(group, { minLength: 1, maxLength: 4 }), (groups) => {
          const prefix = `r${round++}-`;
          const seen = new Set<string>();
          db.exec('BEGIN IMMEDIATE');
          try {
            for (const batches of groups) {
              const cols = batches.map((b, i) =>
                columns(
                  i % 2 ? 'production' : 'development',
                  b.map((n) => `${prefix}${n}`),
                ),
              );
              const expected = cols.flatMap((c) =>
                c.ids.map((id) => !seen.has(id) && seen.add(id) !== undefined),
              );
              expect(writer.insertEventColumns(cols)).toEqual(expected);
            }
            // The round's ids by range of the primary key: a scan would slow down each round.
            const stored = db
              .prepare('SELECT count(*) FROM events WHERE id >= ? AND id < ?')
              .pluck()
              .get(prefix, `${prefix}\uffff`);
            expect(stored).toBe(seen.size);
          } finally {
            db.exec('COMMIT');
          }
        }),
        { numRuns: 60, endOnFailure: true },
      );
    } finally {
      db.close();
    }
  });

  it('stores every field of every row as given', () => {
    const db = openSqliteConnection(path);
    const writer = new SqliteIngestWriter(db, new SqliteExecutor(db));
    try {
      const ids = Array.from({ length: EVENT_CHUNK + 7 }, (_, i) => `fields-${i}`);
      const batch = columns('development', ids);
      batch.receivedAt = ids.map((_, i) => new Date(Date.UTC(2026, 2, 2, 9, 0, i)).toISOString());
      expect(writer.insertEventColumns([batch]).every(Boolean)).toBe(true);
      const rows = db
        .prepare(`SELECT * FROM events WHERE id LIKE 'fields-%' ORDER BY rowid`)
        .all() as Record<string, unknown>[];
      expect(rows).toEqual(
        ids.map((id, i) => ({
          id,
          environment: 'development',
          type: batch.types[i],
          unit: batch.units[i],
          timestamp: batch.timestamps[i],
          received_at: (batch.receivedAt as string[])[i],
          properties: batch.properties[i],
        })),
      );
    } finally {
      db.close();
    }
  });
});
