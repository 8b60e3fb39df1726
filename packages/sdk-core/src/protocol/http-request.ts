import type { Clock } from '../platform/clock';
import type { FetchInitLike, FetchLike } from '../platform/http';

/** A finished HTTP exchange. */
export interface HttpResult {
  status: number;
  header(name: string): string | null;
  body: string;
}

/**
 * Runs one request and reads its body, failing after `timeoutMs`. The request itself cannot be
 * aborted through a fetch-like function; its late answer is simply ignored.
 */
export function httpRequest(
  fetch: FetchLike,
  clock: Clock,
  url: string,
  init: FetchInitLike,
  timeoutMs: number,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new Error('request timed out')), timeoutMs);
    fetch(url, init)
      .then(async (response) => ({
        status: response.status,
        header: (name: string) => response.headers.get(name),
        body: await response.text(),
      }))
      .then(resolve, reject)
      .finally(() => clock.clearTimeout(timer));
  });
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date. Undefined
 * when absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header?.trim()) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Math.round(+header * 1000);
  const at = Date.parse(header);
  return at === at ? Math.max(0, at - nowMs) : undefined;
}

/** Parses a JSON body; undefined when it is not JSON (validation then reports it). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
