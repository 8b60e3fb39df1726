import { createServer } from '../../src/server';
import type { ServerOptions, SwitchyardServer } from '../../src/server';
import type { CreatedKey } from '../../src/keys/keys';

/** A JSON answer. */
export interface Answer {
  status: number;
  // Tests read whatever the answer holds.
  body: any;
  headers: Headers;
}

/** A server on an ephemeral port with its first-start keys and a small JSON client. */
export interface TestServer {
  server: SwitchyardServer;
  url: string;
  admin: string;
  key(kind: 'server' | 'client', environment?: string): string;
  api(method: string, path: string, body?: unknown, key?: string | null): Promise<Answer>;
  /** Sends a raw body with a JSON content type. */
  raw(method: string, path: string, body: string, key?: string | null): Promise<Answer>;
  close(): Promise<void>;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (e.g. /metrics): keep the text.
  }
  return { status: response.status, body, headers: response.headers };
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = await createServer({ db: ':memory:', logger: false, ...options });
  const url = await server.listen(0);
  const keys = server.initialKeys as CreatedKey[];
  const admin = keys.find((k) => k.kind === 'admin')!.secret;
  const send = (
    method: string,
    path: string,
    body: string | undefined,
    key: string | null | undefined,
  ) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === null ? {} : { authorization: `Bearer ${key ?? admin}` }),
      },
      ...(body === undefined ? {} : { body }),
    }).then(answer);
  return {
    server,
    url,
    admin,
    key(kind, environment = 'development') {
      return keys.find((k) => k.kind === kind && k.environment === environment)!.secret;
    },
    api: (method, path, body, key) =>
      send(method, path, body === undefined ? undefined : JSON.stringify(body), key),
    raw: (method, path, body, key) => send(method, path, body, key),
    close: () => server.close(),
  };
}
