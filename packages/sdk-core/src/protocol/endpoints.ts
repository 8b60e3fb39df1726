/** The three URLs a client talks to, derived from one base URL. */
export interface Endpoints {
  /** `ws(s)://host/v1/stream` */
  stream: string;
  /** `http(s)://host/v1/config` */
  config: string;
  /** `http(s)://host/v1/events` */
  events: string;
}

/**
 * Derives the endpoints from a server's base URL, given as `http(s)://` or `ws(s)://`, with or
 * without a path prefix (`https://example.com/flags` → `wss://example.com/flags/v1/stream`).
 * Throws on another scheme: a bad client option is misuse.
 */
export function endpointsFor(baseUrl: string): Endpoints {
  const match = /^(https?|wss?):\/\/(.+?)\/*$/i.exec(baseUrl.trim());
  if (!match)
    throw new TypeError(`switchyard: url must start with http(s):// or ws(s)://, got "${baseUrl}"`);
  const secure = /^(https|wss)$/i.test(match[1]!);
  const rest = match[2]!;
  const http = `${secure ? 'https' : 'http'}://${rest}`;
  return {
    stream: `${secure ? 'wss' : 'ws'}://${rest}/v1/stream`,
    config: `${http}/v1/config`,
    events: `${http}/v1/events`,
  };
}
