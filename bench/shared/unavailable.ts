/**
 * Our side of a benchmark cannot run yet (an endpoint answers 404, the CLI lacks a command...):
 * the table then says `not available: <reason>` instead of showing figures.
 */
export class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

/** The table text for a side that could not be measured. */
export function unavailableText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof Unavailable ? `not available: ${message}` : `failed: ${message}`;
}
