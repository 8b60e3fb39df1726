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
  const rest = /^(?:http|ws)(s?:\/\/.+?)\/*$/i.exec(baseUrl.trim())?.[1];
  if (!rest) throw new TypeError(`switchyard: url must be http(s):// or ws(s)://`);
  return {
    stream: `ws${rest}/v1/stream`,
    config: `http${rest}/v1/config`,
    events: `http${rest}/v1/events`,
  };
}
