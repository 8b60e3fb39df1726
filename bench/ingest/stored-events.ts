import Database from 'better-sqlite3';

/**
 * How many events a stopped server's SQLite file holds (table `events`), read after the server
 * is gone so nothing can still be in flight. Undefined, with the reason, when it cannot tell.
 */
export function storedEventCount(path: string): { count?: number; reason?: string } {
  let db: Database.Database | undefined;
  try {
    // Not read-only: a server killed with -9 leaves a WAL that opening recovers.
    db = new Database(path, { fileMustExist: true });
    const row = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    return { count: row.n };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  } finally {
    db?.close();
  }
}
