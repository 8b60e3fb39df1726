import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCodes } from '@switchyard/core';
import type {
  AckMessage,
  ErrorMessage,
  EventsMessage,
  HelloMessage,
  ServerMessage,
} from '@switchyard/core/schema';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { NotFoundError } from '../errors';
import type { KeyVerifier } from '../keys/key-verifier';
import type { Logger } from '../logger';
import type { RemoteHookDelivery } from '../remote-hooks';
import { DEFAULT_ENVIRONMENT } from '../service/switchyard';
import type { KeyKind, KeyRecord } from '../store/records';
import type { ConfigStep, ConfigView } from './change-history';
import type { ConfigFeed } from './config-feed';
import { readClientMessage } from './client-message';
import { EnvironmentFeed } from './environment-feed';
import { Heartbeat } from './heartbeat';
import { PreparedFrame } from './prepared-frame';
import { pathOf, refuseUpgrade } from './stream-upgrade';
import { SyncSocket } from './sync-socket';
import type { SocketOwner } from './sync-socket';

/** The path of the sync stream. */
export const STREAM_PATH = '/v1/stream';

/**
 * Handles an `events` message of a live socket: answers the ack, or an error for the batch
 * (it must not throw).
 */
export type SocketEventsHandler = (
  key: KeyRecord,
  environment: string,
  message: EventsMessage,
) => Promise<AckMessage | ErrorMessage>;

/** Hears what the hub does (for metrics); called synchronously, so it must be cheap. */
export interface SyncHubObserver {
  /** A config step went to an environment's live sockets: as deltas, and as snapshots to those behind. */
  broadcast(environment: string, deltas: number, snapshots: number): void;
  /** A socket of `kind` was closed for not reading (4408). */
  slowConsumer(environment: string, kind: KeyKind): void;
}

/** How many live sockets an environment has of one key kind. */
export interface SocketCount {
  environment: string;
  kind: KeyKind;
  sockets: number;
}

/** Options of `SyncHub`. */
export interface SyncHubOptions {
  feed: ConfigFeed;
  keys: KeyVerifier;
  logger: Logger;
  events?: SocketEventsHandler;
  /** Serves `subscribe` and `domain-ack` (remote hooks of server and admin keys). */
  hooks?: RemoteHookDelivery;
  /**
   * How often each socket is pinged; one that did not answer its previous ping is dropped
   * (default 30 s). The sockets are pinged a slice at a time over the interval (see Heartbeat).
   */
  heartbeatMs?: number;
  /** How long a socket may stay open without a hello (default 10 s). */
  helloTimeoutMs?: number;
  /** Send-buffer bound: past it, the socket is closed with 4408 and resyncs (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Largest message a client may send (default 4 MiB: a full batch of events). */
  maxPayloadBytes?: number;
}

/** The live sockets of one environment, by view. */
type Channel = Record<ConfigView, Set<SyncSocket>>;

// Shared listeners: `this` is the socket (a SyncSocket), so no closure is made per connection.
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as SyncSocket).owner?.received(this as SyncSocket, data, isBinary);
}
function onPong(this: WebSocket): void {
  (this as SyncSocket).alive = true;
}
function onClose(this: WebSocket): void {
  (this as SyncSocket).owner?.closed(this as SyncSocket);
}
function onError(this: WebSocket): void {
  this.terminate();
}

/**
 * The WebSocket sync hub at `/v1/stream`: authenticates each socket's `hello`, answers with a
 * snapshot or the delta since the client's version, and pushes every config step to every live
 * socket of its environment in version order. A step is serialized and framed once per view, and
 * the same bytes are written to each socket. A socket whose version does not match a step's start
 * gets a fresh snapshot instead; one that does not read (its send buffer past the bound) is closed
 * with 4408 and resyncs when it reconnects. A heartbeat pings each socket once per interval (a
 * slice of them each second, not all at once) and drops the silent.
 */
export class SyncHub implements SocketOwner {
  readonly #o: Required<Omit<SyncHubOptions, 'events' | 'hooks'>> &
    Pick<SyncHubOptions, 'events' | 'hooks'>;
  readonly #wss: WebSocketServer;
  readonly #all = new Set<SyncSocket>();
  readonly #channels = new Map<string, Channel>();
  readonly #unsubscribe: () => void;
  readonly #observers = new Set<SyncHubObserver>();
  readonly #heartbeat: Heartbeat<SyncSocket>;
  #closing = false;

  constructor(options: SyncHubOptions) {
    this.#o = {
      heartbeatMs: 30_000,
      helloTimeoutMs: 10_000,
      maxBufferedBytes: 4 * 1024 * 1024,
      maxPayloadBytes: 4 * 1024 * 1024,
      ...options,
    };
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: this.#o.maxPayloadBytes,
      WebSocket: SyncSocket,
    });
    this.#heartbeat = new Heartbeat(this.#o.heartbeatMs, (socket) => this.#beat(socket));
    this.#unsubscribe = options.feed.onStep((feed, step) => this.#broadcast(feed, step));
  }

  /** Open sockets, live or not. */
  get connections(): number {
    return this.#all.size;
  }

  /** Live sockets of an environment (both views). */
  liveSockets(environment: string): number {
    const channel = this.#channels.get(environment);
    return channel ? channel.server.size + channel.client.size : 0;
  }

  /** Live sockets by environment and key kind (counted when asked: for a metrics scrape). */
  socketCounts(): SocketCount[] {
    const counts = new Map<string, SocketCount>();
    for (const [environment, channel] of this.#channels) {
      for (const socket of [...channel.server, ...channel.client]) {
        const kind = socket.key!.kind;
        const id = `${environment}\u0000${kind}`;
        const count = counts.get(id) ?? { environment, kind, sockets: 0 };
        count.sockets += 1;
        counts.set(id, count);
      }
    }
    return [...counts.values()];
  }

  /** Calls `observer` on broadcasts and slow-consumer closes; answers the unsubscribe. */
  observe(observer: SyncHubObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Takes over the upgrades to `/v1/stream` of an HTTP server, and starts the heartbeat. */
  attach(http: Server): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (pathOf(req) !== STREAM_PATH) {
        // Another upgrade listener (an `attach`ed socket server) may serve that path.
        if (http.listenerCount('upgrade') === 1) refuseUpgrade(socket, 404, 'Not Found');
        return;
      }
      if (this.#closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#opened(ws as SyncSocket, req));
    });
    this.#heartbeat.start();
  }

  /** Closes every socket with 1001 (they reconnect elsewhere or later) and stops the heartbeat. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#unsubscribe();
    this.#heartbeat.stop();
    const sockets = [...this.#all];
    const closed = Promise.all(
      sockets.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))),
    );
    for (const s of sockets) s.closeWith(CloseCodes.goingAway, 'server shutting down');
    // A peer that never answers the close handshake must not hold the shutdown up.
    const cut = setTimeout(() => sockets.forEach((s) => s.terminate()), 1000);
    await closed;
    clearTimeout(cut);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  /** Closes the sockets of a revoked key with 4401. */
  revoked(keyId: string): void {
    for (const socket of this.#all) {
      if (socket.key?.id === keyId)
        socket.closeWith(CloseCodes.unauthorized, 'the key was revoked');
    }
  }

  /** Called by the socket's listener for each message. */
  received(socket: SyncSocket, data: RawData, isBinary: boolean): void {
    socket.alive = true;
    const read = readClientMessage(data, isBinary);
    if (read.kind === 'bad-batch' && socket.phase === 'live') return this.#send(socket, read.error);
    if (read.kind !== 'message') {
      const reason =
        read.kind === 'invalid' ? read.reason : `invalid message: ${read.error.message}`;
      return socket.closeWith(CloseCodes.badMessage, reason);
    }
    const message = read.message;
    if (message.type === 'hello') return void this.#hello(socket, message);
    if (socket.phase !== 'live') {
      if (socket.phase === 'greeting')
        return socket.closeWith(CloseCodes.badMessage, 'the first message must be hello');
      if (message.type === 'events') {
        return this.#send(socket, {
          type: 'error',
          code: 'not_ready',
          message: 'send events after the answer to hello',
          batchId: message.batchId,
        });
      }
      return;
    }
    if (message.type === 'events') return void this.#events(socket, message);
    if (message.type === 'error') return;
    const hooks = this.#o.hooks;
    if (!hooks) {
      return this.#send(socket, {
        type: 'error',
        code: 'unsupported',
        message: `'${message.type}' messages are not served here`,
      });
    }
    const subscriber = socket.hookSubscriber();
    const done =
      message.type === 'subscribe'
        ? hooks.subscribe(subscriber, message)
        : hooks.ack(subscriber, message);
    done.catch((error: unknown) => this.#o.logger.error({ err: error }, 'remote hook call failed'));
  }

  /** Called by the socket's listener when it closed. */
  closed(socket: SyncSocket): void {
    this.#all.delete(socket);
    this.#heartbeat.delete(socket);
    this.#leave(socket);
    if (socket.subscriber) {
      this.#o.hooks
        ?.disconnect(socket.subscriber)
        .catch((error: unknown) => this.#o.logger.error({ err: error }, 'remote hook call failed'));
    }
  }

  #opened(socket: SyncSocket, req: IncomingMessage): void {
    socket.owner = this;
    socket.openedAt = Date.now();
    socket.requested =
      new URL(req.url ?? '/', 'http://x').searchParams.get('environment') ?? undefined;
    this.#all.add(socket);
    this.#heartbeat.add(socket);
    socket.on('message', onMessage);
    socket.on('pong', onPong);
    socket.on('close', onClose);
    socket.on('error', onError);
  }

  async #hello(socket: SyncSocket, hello: HelloMessage): Promise<void> {
    socket.phase = 'verifying';
    let key: KeyRecord | null;
    try {
      key = await this.#o.keys.verify(hello.key);
    } catch (error) {
      this.#o.logger.error({ err: error }, 'verifying a stream key failed');
      return socket.closeWith(1011, 'the key could not be checked; try again');
    }
    if (!key) return socket.closeWith(CloseCodes.unauthorized, 'unknown or revoked key');
    const environment = key.environment ?? socket.requested ?? DEFAULT_ENVIRONMENT;
    if (socket.requested !== undefined && socket.requested !== environment) {
      return socket.closeWith(
        CloseCodes.forbidden,
        `this key belongs to environment '${environment}'`,
      );
    }
    let feed: EnvironmentFeed;
    try {
      feed = await this.#o.feed.environment(environment);
    } catch (error) {
      if (error instanceof NotFoundError)
        return socket.closeWith(CloseCodes.forbidden, error.message);
      this.#o.logger.error({ err: error }, 'loading an environment config failed');
      return socket.closeWith(1011, 'the config could not be loaded; try again');
    }
    if (socket.readyState !== SyncSocket.OPEN) return;
    // From here to the end, synchronously: the answer and joining the channel happen at one
    // version, so the next step the socket gets starts where the answer ends.
    this.#leave(socket);
    socket.key = key;
    socket.environment = environment;
    socket.view = key.kind === 'client' ? 'client' : 'server';
    socket.write(feed.helloFrame(socket.view, hello.since));
    socket.version = feed.version;
    socket.phase = 'live';
    this.#channel(environment)[socket.view].add(socket);
  }

  async #events(socket: SyncSocket, message: EventsMessage): Promise<void> {
    const { key, environment } = socket;
    const answer =
      this.#o.events && key && environment !== undefined
        ? await this.#o.events(key, environment, message)
        : ({
            type: 'error',
            code: 'unsupported',
            message: 'this server does not take events on the stream',
            batchId: message.batchId,
          } as const);
    this.#send(socket, answer);
  }

  #broadcast(feed: EnvironmentFeed, step: ConfigStep): void {
    const { environment } = feed;
    const channel = this.#channels.get(environment);
    if (!channel) return;
    let deltas = 0;
    let snapshots = 0;
    for (const view of ['server', 'client'] as const) {
      const sockets = channel[view];
      if (sockets.size === 0) continue;
      const frame = EnvironmentFeed.stepFrame(step, view);
      for (const socket of sockets) {
        if (socket.bufferedAmount > this.#o.maxBufferedBytes) {
          sockets.delete(socket);
          socket.closeWith(CloseCodes.slowConsumer, 'slow consumer: reconnect and resync');
          for (const o of this.#observers) o.slowConsumer(environment, socket.key!.kind);
          continue;
        }
        // A socket that is not where the step starts would see a gap: it gets the snapshot.
        const inStep = socket.version === step.from;
        socket.write(inStep ? frame : feed.snapshotFrame(view));
        if (inStep) deltas += 1;
        else snapshots += 1;
        socket.version = step.to;
      }
    }
    if (deltas + snapshots === 0) return;
    for (const o of this.#observers) o.broadcast(environment, deltas, snapshots);
  }

  /** One socket's heartbeat: dropped if silent since its last ping, closed if it never said hello. */
  #beat(socket: SyncSocket): void {
    if (!socket.alive) return socket.terminate();
    if (socket.phase === 'greeting' && Date.now() - socket.openedAt > this.#o.helloTimeoutMs) {
      return socket.closeWith(CloseCodes.badMessage, 'no hello');
    }
    socket.alive = false;
    socket.ping();
  }

  #send(socket: SyncSocket, message: ServerMessage): void {
    socket.write(PreparedFrame.of(message));
  }

  #channel(environment: string): Channel {
    let channel = this.#channels.get(environment);
    if (!channel) {
      channel = { server: new Set(), client: new Set() };
      this.#channels.set(environment, channel);
    }
    return channel;
  }

  #leave(socket: SyncSocket): void {
    if (socket.environment === undefined) return;
    this.#channels.get(socket.environment)?.[socket.view].delete(socket);
  }
}
