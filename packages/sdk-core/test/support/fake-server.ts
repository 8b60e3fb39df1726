import { applyDelta } from '@switchyard/core';
import type { ConfigChange, ConfigSnapshot } from '@switchyard/core';
import type { DeltaMessage, ServerMessage, TrackEvent } from '@switchyard/core/schema';
import type {
  FetchInitLike,
  FetchLike,
  FetchResponseLike,
  SocketFactory,
  SocketHandlers,
  SyncSocket,
} from '../../src';

const later = (fn: () => void): void => void Promise.resolve().then(fn);

/** The server side of one fake socket. */
export class FakeConnection implements SyncSocket {
  /** Messages the client sent, parsed. */
  readonly received: Array<Record<string, unknown>> = [];
  open = false;
  closed = false;
  hello: { key: string; since?: number } | undefined;

  constructor(
    private readonly server: FakeServer,
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  /** Client → server. */
  send(data: string): void {
    if (!this.open) throw new Error('send on a socket that is not open');
    const message = JSON.parse(data) as Record<string, unknown>;
    this.received.push(message);
    later(() => this.server.handle(this, message));
  }

  /** Client closes. */
  close(code = 1000, reason = ''): void {
    this.drop(code, reason);
  }

  /** Server → client. */
  push(message: ServerMessage | Record<string, unknown>): void {
    if (!this.open) return;
    const data = JSON.stringify(message);
    later(() => this.open && this.handlers.onMessage(data));
  }

  /** Either side ends it; the client hears of it once. */
  drop(code: number, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    later(() => this.handlers.onClose(code, reason));
  }

  accept(): void {
    this.open = true;
    this.handlers.onOpen();
  }
}

/**
 * An in-memory Switchyard server speaking the sync and ingestion protocol, for tests: a socket
 * factory and a fetch function over one config with a version history, an event store with
 * dedup by id, and switches to make it fail.
 */
export class FakeServer {
  snapshot: ConfigSnapshot;
  /** Every delta committed, to answer `since`. */
  readonly history: DeltaMessage[] = [];
  readonly connections: FakeConnection[] = [];
  /** Stored events by id (dedup). */
  readonly stored = new Map<string, TrackEvent>();
  /** Every batch received, as sent. */
  readonly batches: Array<{ via: 'socket' | 'http'; batchId: string; ids: string[] }> = [];
  duplicates = 0;
  readonly validKeys = new Set(['key']);
  readonly httpRequests: Array<{ url: string; init: FetchInitLike }> = [];

  /** Refuse socket connections (they close with 1006). */
  socketDown = false;
  /** Fail every HTTP request with a network error. */
  httpDown = false;
  /** Socket batches are stored but not acked. */
  withholdAcks = false;
  /** Decides what happens to an incoming batch: store and ack, store without ack, or lose it. */
  onBatch: (batchId: string, events: TrackEvent[]) => 'ack' | 'store-only' | 'lose' = () => 'ack';
  /** Decides the HTTP answer to a POST before it is handled (e.g. 429); undefined = handle. */
  postOverride:
    | (() => { status: number; headers?: Record<string, string>; body?: string } | undefined)
    | undefined;
  /** Event ids the server rejects as invalid. */
  readonly invalidIds = new Set<string>();

  constructor(snapshot: ConfigSnapshot) {
    this.snapshot = snapshot;
  }

  /** The connection currently open, if any. */
  get live(): FakeConnection | undefined {
    return this.connections.filter((c) => c.open).at(-1);
  }

  readonly socket: SocketFactory = (url, handlers) => {
    const conn = new FakeConnection(this, url, handlers);
    this.connections.push(conn);
    later(() => (this.socketDown ? conn.drop(1006, 'connection refused') : conn.accept()));
    return conn;
  };

  /** Commits a change and pushes the delta to every open connection that said hello. */
  commit(changes: ConfigChange[]): DeltaMessage {
    const delta: DeltaMessage = {
      type: 'delta',
      from: this.snapshot.version,
      to: this.snapshot.version + 1,
      changes,
    };
    this.snapshot = applyDelta(this.snapshot, delta)!;
    this.history.push(delta);
    for (const c of this.connections) if (c.open && c.hello) c.push(delta);
    return delta;
  }

  handle(conn: FakeConnection, message: Record<string, unknown>): void {
    if (message.type === 'hello') {
      if (!this.validKeys.has(String(message.key))) return conn.drop(4401, 'bad key');
      conn.hello = message as { key: string; since?: number };
      conn.push(this.answerTo(conn.hello.since));
    } else if (message.type === 'events') {
      const batchId = String(message.batchId);
      const outcome = this.ingest('socket', batchId, message.events as TrackEvent[]);
      if (outcome && !this.withholdAcks) conn.push({ type: 'ack', ...outcome });
    }
  }

  /** The hello answer: a delta from `since` when the history covers it, else a snapshot. */
  answerTo(since: number | undefined): ServerMessage {
    const start = this.history.findIndex((d) => d.from === since);
    if (since !== undefined && since === this.snapshot.version) {
      return { type: 'delta', from: since, to: since, changes: [] };
    }
    if (start >= 0) {
      const changes = this.history.slice(start).flatMap((d) => d.changes);
      return { type: 'delta', from: since!, to: this.snapshot.version, changes };
    }
    return { type: 'snapshot', ...this.snapshot };
  }

  /** Stores a batch (dedup by id); undefined when the batch is lost or the ack withheld. */
  ingest(via: 'socket' | 'http', batchId: string, events: TrackEvent[]) {
    const fate = this.onBatch(batchId, events);
    if (fate === 'lose') return undefined;
    this.batches.push({ via, batchId, ids: events.map((e) => e.id) });
    let accepted = 0;
    let duplicates = 0;
    const rejected: Array<{ index: number; id: string; code: string; message: string }> = [];
    events.forEach((e, index) => {
      if (this.invalidIds.has(e.id))
        rejected.push({ index, id: e.id, code: 'invalid', message: 'bad event' });
      else if (this.stored.has(e.id)) duplicates++;
      else {
        this.stored.set(e.id, e);
        accepted++;
      }
    });
    this.duplicates += duplicates;
    return fate === 'ack' ? { batchId, accepted, duplicates, rejected } : undefined;
  }

  readonly fetch: FetchLike = async (url, init) => {
    this.httpRequests.push({ url, init });
    await Promise.resolve();
    if (this.httpDown) throw new Error('fetch failed');
    const auth = init.headers.authorization ?? '';
    if (!this.validKeys.has(auth.replace(/^Bearer /, ''))) return response(401, {}, '{"error":{}}');
    if (url.endsWith('/v1/config') && init.method === 'GET') {
      const etag = `"v${this.snapshot.version}"`;
      if (init.headers['if-none-match'] === etag) return response(304, { etag }, '');
      return response(200, { etag }, JSON.stringify(this.snapshot));
    }
    if (url.endsWith('/v1/events') && init.method === 'POST') {
      const override = this.postOverride?.();
      if (override) return response(override.status, override.headers ?? {}, override.body ?? '');
      const body = JSON.parse(init.body ?? '{}') as { batchId: string; events: TrackEvent[] };
      const outcome = this.ingest('http', body.batchId, body.events);
      if (!outcome) throw new Error('connection reset');
      return response(200, {}, JSON.stringify(outcome));
    }
    return response(404, {}, '');
  };
}

function response(
  status: number,
  headers: Record<string, string>,
  body: string,
): FetchResponseLike {
  return {
    status,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: async () => body,
  };
}
