import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientMessageSchema } from '@switchyard/core/schema';
import { createServer } from '@switchyard/server';
import type { ServerOptions, SwitchyardServer } from '@switchyard/server';
import { WebSocketServer } from 'ws';
// The server-side piece of remote hooks is not part of the server's public API (the sync hub
// calls it); the tests reach it by path.
import { createRemoteHookDelivery } from '../../../server/src/remote-hooks';
import type { HookSubscriber } from '../../../server/src/remote-hooks';

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
 * The real server (REST, store, verbs, keys) on an ephemeral port, with `/v1/stream` served by a
 * minimal stand-in for the sync hub: hello → the config snapshot of the key's environment, and
 * `subscribe` / `domain-ack` handed to the server's remote hook delivery, as the hub does.
 */
export async function startRealServer(options: ServerOptions = {}): Promise<RealServer> {
  const server = await createServer({
    db: ':memory:',
    logger: false,
    webhooks: false,
    adminKey: ADMIN_KEY,
    ...options,
  });
  const http = createHttpServer(server.app);
  const closeStream = attachStream(http, server);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const keys = server.initialKeys ?? [];
  return {
    server,
    url,
    key(kind, environment = 'development') {
      const found = keys.find((k) => k.kind === kind && k.environment === environment);
      if (!found) throw new Error(`no first-start ${kind} key of ${environment}`);
      return found.secret;
    },
    async close() {
      await closeStream();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
    },
  };
}

function attachStream(http: Server, server: SwitchyardServer): () => Promise<void> {
  const wss = new WebSocketServer({ server: http, path: '/v1/stream' });
  const delivery = createRemoteHookDelivery({ store: server.store, pollMs: 0 });
  wss.on('connection', (socket) => {
    let subscriber: HookSubscriber | undefined;
    socket.on('message', async (data) => {
      const parsed = ClientMessageSchema.safeParse(JSON.parse(String(data)));
      if (!parsed.success) return socket.close(4400, 'bad message');
      const message = parsed.data;
      if (message.type === 'hello') {
        const key = await server.keys.verify(message.key);
        if (!key) return socket.close(4401, 'unknown key');
        subscriber = {
          kind: key.kind,
          environment: key.environment,
          send: (m) => socket.send(JSON.stringify(m)),
        };
        const snapshot = await server.switchyard.configSnapshot(key.environment ?? 'development');
        socket.send(JSON.stringify({ type: 'snapshot', ...snapshot }));
      } else if (subscriber && message.type === 'subscribe') {
        void delivery.subscribe(subscriber, message);
      } else if (subscriber && message.type === 'domain-ack') {
        void delivery.ack(subscriber, message);
      }
    });
    socket.on('close', () => {
      if (subscriber) void delivery.disconnect(subscriber);
    });
  });
  return async () => {
    for (const socket of wss.clients) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await delivery.close();
  };
}
