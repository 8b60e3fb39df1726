import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { EventBatch } from './event-batches';

/** The pragmas our server's SQLite store uses (packages/server/src/store/sqlite-store.ts). */
export const FLOOR_PRAGMAS = { journal_mode: 'WAL', synchronous: 'NORMAL' } as const;

/** What the floor achieved. */
export interface FloorResult {
  events: number;
  /** Rows new to the table (all of them, unless ids repeat). */
  inserted: number;
  seconds: number;
  eventsPerSecond: number;
  /** Size of the database at the end, in bytes. */
  databaseBytes: number;
  /** Bytes this process wrote to storage meanwhile (/proc/self/io), undefined where unreadable. */
  writtenBytes: number | undefined;
}

/**
 * When the per-variant counters are written: `per-event`, one upsert per new event in the
 * transaction (the floor as the issue defines and measured it), or `per-batch`, summed in memory
 * first and written once per (experiment, variant, metric) of the batch.
 */
export type CounterWrites = 'per-event' | 'per-batch';

/** One counter increment: a new event of `metric` for a variant, with its value. */
type Increment = { key: [string, string, string]; n: number; sum: number; sq: number };

/**
 * The floor of bench:ingest: bare better-sqlite3 in this process, one transaction per batch doing
 * what ingestion must at least do — `INSERT OR IGNORE` each event into a table keyed by its id
 * (idempotence), and for the events that were new and carry an experiment and variant, an upsert
 * of that variant's counters (events, sum, sum of squares), written as `counters` says. The
 * `warmup` batches go first, untimed.
 */
export function runSqliteFloor(
  path: string,
  batches: readonly EventBatch[],
  counters: CounterWrites = 'per-event',
  warmup: readonly EventBatch[] = [],
): FloorResult {
  const db = new Database(path);
  try {
    db.pragma(`journal_mode = ${FLOOR_PRAGMAS.journal_mode}`);
    db.pragma(`synchronous = ${FLOOR_PRAGMAS.synchronous}`);
    db.exec(`
      CREATE TABLE events (id TEXT PRIMARY KEY, environment TEXT NOT NULL, type TEXT NOT NULL,
        unit TEXT, timestamp INTEGER NOT NULL, received_at TEXT NOT NULL, properties TEXT NOT NULL);
      CREATE TABLE variant_stats (experiment TEXT NOT NULL, variant TEXT NOT NULL, metric TEXT NOT NULL,
        events INTEGER NOT NULL, sum REAL NOT NULL, sum_sq REAL NOT NULL,
        PRIMARY KEY (experiment, variant, metric));`);
    const insert = db.prepare('INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?)');
    const upsert = db.prepare(`INSERT INTO variant_stats VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (experiment, variant, metric) DO UPDATE SET events = events + excluded.events,
        sum = sum + excluded.sum, sum_sq = sum_sq + excluded.sum_sq`);
    const write = (i: Increment) => upsert.run(...i.key, i.n, i.sum, i.sq);
    const ingest = db.transaction((batch: EventBatch): number => {
      const receivedAt = new Date().toISOString();
      const sums = new Map<string, Increment>();
      let inserted = 0;
      for (const e of batch) {
        const p = e.properties ?? {};
        const timestamp = typeof e.timestamp === 'number' ? e.timestamp : Date.now();
        const row = [
          e.id,
          'development',
          e.type,
          e.unit ?? null,
          timestamp,
          receivedAt,
          JSON.stringify(p),
        ];
        if (insert.run(row).changes === 0) continue; // a retry: already counted
        inserted++;
        if (typeof p.experiment !== 'string' || typeof p.variant !== 'string') continue;
        const value = typeof p.duration === 'number' ? p.duration : 1;
        const key: Increment['key'] = [p.experiment, p.variant, e.type];
        if (counters === 'per-event') {
          write({ key, n: 1, sum: value, sq: value * value });
          continue;
        }
        const id = key.join('\u0000');
        const s = sums.get(id) ?? { key, n: 0, sum: 0, sq: 0 };
        s.n++;
        s.sum += value;
        s.sq += value * value;
        sums.set(id, s);
      }
      sums.forEach(write);
      return inserted;
    });
    // The same warm-up as ours gets, untimed: JIT, statement caches and the first pages.
    for (const batch of warmup) ingest(batch);
    const writtenBefore = bytesWritten();
    const start = process.hrtime.bigint();
    let inserted = 0;
    let events = 0;
    for (const batch of batches) {
      inserted += ingest(batch);
      events += batch.length;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const writtenAfter = bytesWritten();
    const writtenBytes =
      writtenBefore === undefined || writtenAfter === undefined
        ? undefined
        : writtenAfter - writtenBefore;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return {
      events,
      inserted,
      seconds,
      eventsPerSecond: events / seconds,
      databaseBytes: pages * pageSize,
      writtenBytes,
    };
  } finally {
    db.close();
  }
}

/** write_bytes of /proc/self/io: what this process caused to be written to storage. */
function bytesWritten(): number | undefined {
  try {
    const match = /^write_bytes:\s+(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
