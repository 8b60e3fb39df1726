import { isAbsolute, resolve } from 'node:path';
import { isPostgresUrl } from '../store/open-store';

/** The default SQLite file name, in the directory `pnpm start` (or the CLI) was run from. */
export const DEFAULT_DB_FILE = 'switchyard.db';

/** The port `serve` listens on unless told otherwise. */
export const DEFAULT_PORT = 4400;

/** Where relative paths are resolved: pnpm's INIT_CWD (where the user typed the command), else the cwd. */
export function baseDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}

/** A `--db` value made absolute, unless it is `:memory:` or a PostgreSQL URL. */
export function resolveDb(db: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const value = db ?? env.SWITCHYARD_DB ?? DEFAULT_DB_FILE;
  if (value === ':memory:' || isPostgresUrl(value) || isAbsolute(value)) return value;
  return resolve(baseDirectory(env), value);
}

/** A port from a flag or `PORT`, checked. */
export function resolvePort(
  port: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const text = port ?? env.PORT ?? String(DEFAULT_PORT);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535) throw new Error(`'${text}' is not a port number`);
  return n;
}

/** A hooks module path from a flag or `SWITCHYARD_HOOKS`, made absolute. */
export function resolveHooks(
  hooks: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = hooks ?? env.SWITCHYARD_HOOKS;
  if (value === undefined || value === '') return undefined;
  return isAbsolute(value) ? value : resolve(baseDirectory(env), value);
}
