import type { Executor } from './executor';
import { numberColumn } from './executor';
import { MIGRATIONS, renderMigration } from './migrations';

/**
 * Applies the migrations not yet recorded in the `migrations` table, each in the caller's
 * transaction. Answers the versions it applied.
 */
export async function migrate(db: Executor, now: string): Promise<number[]> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
       applied_at TEXT NOT NULL)`,
  );
  const done = new Set(
    (await db.all('SELECT version FROM migrations')).map((r) => numberColumn(r.version)),
  );
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    const sql = !m.dialects || m.dialects.includes(db.dialect) ? m.sql : '';
    for (const statement of splitStatements(renderMigration(sql, db.dialect))) {
      await db.run(statement);
    }
    await db.run('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      m.version,
      m.name,
      now,
    ]);
    applied.push(m.version);
  }
  return applied;
}

// Migrations hold plain DDL without semicolons inside literals, so a split on ';' is exact.
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
