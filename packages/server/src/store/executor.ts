import type { Dialect } from './migrations';

/** A result row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Runs SQL written with `?` placeholders on one connection of either engine. */
export interface Executor {
  readonly dialect: Dialect;
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement and answers how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs one statement once per parameter list; answers the rows each run changed. */
  runEach(sql: string, rows: readonly (readonly unknown[])[]): Promise<number[]>;
  /** Runs one query once per parameter list; answers each run's first row, if any. */
  firstOfEach(sql: string, rows: readonly (readonly unknown[])[]): Promise<(Row | undefined)[]>;
}

/** Reads a JSON column: SQLite hands back text, PostgreSQL's jsonb an object. */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Reads a time column as ISO-8601: SQLite stores the text, PostgreSQL hands back a Date. */
export function timeColumn(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Reads an optional time column. */
export function optionalTime(value: unknown): string | null {
  return value === null || value === undefined ? null : timeColumn(value);
}

/** Reads a bigint column: PostgreSQL's int8 arrives as a string. */
export function numberColumn(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
