import { endpointsFor } from '@switchyard/sdk-core';
import { apiErrorOf, SwitchyardApiError } from './api-error';

/** A query string's values; undefined ones are left out. */
export type Query = Record<string, string | number | undefined>;

/** A fetch function; the global `fetch` fits. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface RestClientOptions {
  /** The server's base URL (`http(s)://` or `ws(s)://`, with or without a path prefix). */
  url: string;
  adminKey: string;
  /** How long one request may take, in ms. */
  timeoutMs: number;
  fetch: Fetch;
}

/**
 * JSON over HTTP to the management API with an admin key. Answers the parsed body; throws a
 * `SwitchyardApiError` (a subclass by status) for an error answer, a timeout or no answer.
 * Nothing is retried: a create that timed out may have happened.
 */
export class RestClient {
  /** `http(s)://host[/prefix]`, without a trailing slash. */
  readonly baseUrl: string;

  constructor(private readonly options: RestClientOptions) {
    this.baseUrl = endpointsFor(options.url).config.replace(/\/v1\/config$/, '');
  }

  /** Sends one request; `path` starts with `/`. */
  async request<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) search.set(name, String(value));
    }
    const encoded = search.toString();
    const target = encoded === '' ? path : `${path}?${encoded}`;
    const request = { method, path: target };
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.adminKey}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(`${this.baseUrl}${target}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
      const message = timedOut
        ? `${method} ${target} took longer than ${this.options.timeoutMs} ms`
        : `${method} ${target} failed: ${(error as Error | undefined)?.message ?? String(error)}`;
      throw new SwitchyardApiError(0, timedOut ? 'timeout' : 'unreachable', message, request, [], {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.status >= 400) throw apiErrorOf(response.status, parsed, request);
    if (parsed === undefined && text !== '') {
      throw new SwitchyardApiError(
        response.status,
        'bad_response',
        `${method} ${target} answered a body that is not JSON`,
        request,
      );
    }
    return parsed as T;
  }
}
