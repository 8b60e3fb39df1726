import { createServer } from '@switchyard/server';
import type { CreatedKey, SwitchyardServer } from '@switchyard/server';

/** An HTTP request the server answered, as it came in (for checks of what reached it). */
export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/v1/events?key=…`. */
  url: string;
  contentType: string | undefined;
  /** The answer's status, once sent. */
  status?: number;
}

/** A real Switchyard server in this process, on 127.0.0.1. */
export interface RunningServer {
  server: SwitchyardServer;
  url: string;
  port: number;
  /** The first start's keys, with their secrets (pass them to a restart on the same store). */
  keys: readonly CreatedKey[];
  /** Every HTTP request since it listens, in arrival order (WebSocket upgrades not included). */
  requests: SeenRequest[];
  /** The first-start key of `kind` (for `environment`, default development). */
  key(kind: 'admin' | 'server' | 'client', environment?: string): string;
  /** A JSON request; throws on a non-2xx answer, with the server's error. */
  request<T>(method: string, path: string, key: string, body?: unknown): Promise<T>;
  /** The raw text of a GET, as a browser's fetch would receive it. */
  text(path: string, key: string): Promise<string>;
  close(): Promise<void>;
}

/** Where and how `startSwitchyard` runs the server. */
export interface SwitchyardStart {
  /** The store: a SQLite file to start again on later (default a fresh `:memory:` one). */
  db?: string;
  /** The port (default an ephemeral one): a restart takes the port it had. */
  port?: number;
  /** The keys of the store's first start, for a restart (a store makes keys only once). */
  keys?: readonly CreatedKey[];
}

/** Starts a server, quiet, without webhook delivery: by default on a fresh in-memory store. */
export async function startSwitchyard(start: SwitchyardStart = {}): Promise<RunningServer> {
  const requests: SeenRequest[] = [];
  const server = await createServer({
    db: start.db ?? ':memory:',
    logger: false,
    webhooks: false,
    attach: (http) => {
      // First, before express rewrites `req.url` on its way through the routers.
      http.prependListener('request', (req, res) => {
        const seen: SeenRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          contentType: req.headers['content-type'],
        };
        requests.push(seen);
        res.on('finish', () => (seen.status = res.statusCode));
      });
    },
  });
  const keys = start.keys ?? server.initialKeys;
  if (!keys) {
    await server.close();
    throw new Error(`${start.db} was started before: pass the first start's keys`);
  }
  const url = await server.listen(start.port ?? 0, '127.0.0.1');
  const send = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      // JSON.stringify escapes lone surrogates (\udXXX), so the bytes sent are valid UTF-8.
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text;
  };
  return {
    server,
    url,
    port: Number(new URL(url).port),
    keys,
    requests,
    key(kind, environment = 'development') {
      const found = keys.find(
        (k) => k.kind === kind && (kind === 'admin' || k.environment === environment),
      );
      if (!found) throw new Error(`no first-start ${kind} key for ${environment}`);
      return found.secret;
    },
    request: async <T>(method: string, path: string, key: string, body?: unknown) =>
      JSON.parse(await send(method, path, key, body)) as T,
    text: (path, key) => send('GET', path, key),
    close: () => server.close(),
  };
}
