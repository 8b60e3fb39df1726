import { readFileSync } from 'node:fs';

/** A config to start from: a snapshot or bootstrap payload, or a JSON file holding one. */
export type BootstrapSource = { file: string } | Record<string, unknown>;

/** True when `source` names a file rather than being the config itself. */
function isFileSource(source: BootstrapSource): source is { file: string } {
  return typeof source.file === 'string' && Object.keys(source).length === 1;
}

/**
 * The bootstrap value for sdk-core: the object as given, or the parsed file. Read synchronously,
 * so the client has flags the moment `createClient` returns. A file that cannot be read or
 * parsed gives an `Error` to report, not a thrown exception: a process must start even then.
 */
export function readBootstrap(source: BootstrapSource): { value: unknown } | { error: Error } {
  if (!isFileSource(source)) return { value: source };
  try {
    return { value: JSON.parse(readFileSync(source.file, 'utf8')) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}
