import { createServer } from '@switchyard/server';
import type { ServerOptions, SwitchyardServer } from '@switchyard/server';

/** The admin key the test servers start with. */
export const ADMIN_KEY = 'sy_admin_test_0123456789abcdefghij';

/** A real Switchyard server on 127.0.0.1 with its first-start keys. */
export interface RealServer {
  server: SwitchyardServer;
  url: string;
  /** The first start's server key of an environment. */
  key(kind: 'server' | 'client', environment?: string): string;
  close(): Promise<void>;
}

/**
 * The real server — REST, store, verbs, keys, the sync hub at `/v1/stream` with ingestion and
 * remote hook delivery — listening on 127.0.0.1 (`port`, default an ephemeral one), on
 * `:memory:` unless `db` names a file. Logs and webhooks are off.
 */
export async function startRealServer(
  options: ServerOptions & { port?: number } = {},
): Promise<RealServer> {
  const { port, ...rest } = options;
  const server = await createServer({
    db: ':memory:',
    logger: false,
    webhooks: false,
    adminKey: ADMIN_KEY,
    ...rest,
  });
  const url = await server.listen(port ?? 0);
  const keys = server.initialKeys ?? [];
  return {
    server,
    url,
    key(kind, environment = 'development') {
      const found = keys.find((k) => k.kind === kind && k.environment === environment);
      if (!found) throw new Error(`no first-start ${kind} key of ${environment}`);
      return found.secret;
    },
    close: () => server.close(),
  };
}
