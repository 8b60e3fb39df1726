import { createServer } from '@switchyard/server';
import type { CreatedKey, SwitchyardServer } from '@switchyard/server';

/** A real Switchyard server in this process, on an ephemeral port of 127.0.0.1. */
export interface RunningServer {
  server: SwitchyardServer;
  url: string;
  /** The first-start key of `kind` (for `environment`, default development). */
  key(kind: 'admin' | 'server' | 'client', environment?: string): string;
  /** A JSON request; throws on a non-2xx answer, with the server's error. */
  request<T>(method: string, path: string, key: string, body?: unknown): Promise<T>;
  /** The raw text of a GET, as a browser's fetch would receive it. */
  text(path: string, key: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a server on a fresh in-memory SQLite store, quiet, without webhook delivery. */
export async function startSwitchyard(): Promise<RunningServer> {
  const server = await createServer({ db: ':memory:', logger: false, webhooks: false });
  const url = await server.listen(0, '127.0.0.1');
  const keys = server.initialKeys as CreatedKey[];
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
