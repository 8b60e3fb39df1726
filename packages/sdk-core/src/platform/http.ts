/** The part of a fetch `Response` that sync and event delivery read. */
export interface FetchResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The request options sdk-core passes; a subset of fetch's `RequestInit`. */
export interface FetchInitLike {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Lets the request outlive a page that is being unloaded (browsers). */
  keepalive?: boolean;
}

/**
 * A fetch-like function, for the `GET /v1/config` fallback and `POST /v1/events`. The global
 * `fetch` of Node 18+ and browsers satisfies it as is.
 */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;
