import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyDelta } from '@switchyard/core';
import type { ConfigChange, ConfigSnapshot } from '@switchyard/core';
import { ClientMessageSchema } from '@switchyard/core/schema';
import type { TrackEvent } from '@switchyard/core/schema';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/**
 * A small stand-in for the Switchyard server on 127.0.0.1, speaking the sync and ingestion
 * protocol over a real `ws` socket and real HTTP (the real server is built elsewhere): hello →
 * snapshot, pushed deltas, events → ack with dedup by id, GET /v1/config, POST /v1/events.
 */
export class StubServer {
  snapshot: ConfigSnapshot;
  readonly stored = new Map<string, TrackEvent>();
  readonly hellos: Array<{ key: string; since?: number; sdk?: string }> = [];
  readonly sockets = new Set<WebSocket>();
  key = 'server-key';
  private readonly http = createServer((req, res) => void this.onHttp(req, res));
  private readonly wss = new WebSocketServer({ server: this.http, path: '/v1/stream' });

  constructor(snapshot: ConfigSnapshot) {
    this.snapshot = snapshot;
    this.wss.on('connection', (socket) => this.onSocket(socket));
  }

  /** Listens on an ephemeral port; returns the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Commits changes and pushes the delta to every socket that said hello. */
  commit(changes: ConfigChange[]): void {
    const delta = {
      type: 'delta' as const,
      from: this.snapshot.version,
      to: this.snapshot.version + 1,
      changes,
    };
    this.snapshot = applyDelta(this.snapshot, delta)!;
    for (const s of this.sockets) s.send(JSON.stringify(delta));
  }

  private onSocket(socket: WebSocket): void {
    socket.on('message', (data) => {
      const parsed = ClientMessageSchema.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) return socket.close(4400, 'bad message');
      const message = parsed.data;
      if (message.type === 'hello') {
        if (message.key !== this.key) return socket.close(4401, 'unknown key');
        this.hellos.push(message);
        this.sockets.add(socket);
        socket.send(JSON.stringify({ type: 'snapshot', ...this.snapshot }));
      } else if (message.type === 'events') {
        socket.send(
          JSON.stringify({
            type: 'ack',
            ...this.ingest(message.batchId, message.events as TrackEvent[]),
          }),
        );
      }
    });
    socket.on('close', () => this.sockets.delete(socket));
  }

  private ingest(batchId: string, events: TrackEvent[]) {
    let accepted = 0;
    let duplicates = 0;
    for (const e of events) {
      if (this.stored.has(e.id)) duplicates++;
      else {
        this.stored.set(e.id, e);
        accepted++;
      }
    }
    return { batchId, accepted, duplicates, rejected: [] };
  }

  private async onHttp(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) {
    if (req.headers.authorization !== `Bearer ${this.key}`) {
      res.writeHead(401).end('{"error":{"code":"unauthorized","message":"bad key"}}');
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/config') {
      res.writeHead(200, {
        'content-type': 'application/json',
        etag: `"${this.snapshot.version}"`,
      });
      res.end(JSON.stringify(this.snapshot));
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/events') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const batch = JSON.parse(body) as { batchId: string; events: TrackEvent[] };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(this.ingest(batch.batchId, batch.events)));
      return;
    }
    res.writeHead(404).end();
  }
}
