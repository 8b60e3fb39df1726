import { CloseCodes } from '@switchyard/core';
import type { ClientMessage, ServerMessage } from '@switchyard/core/schema';
import { Listeners } from '../client/listeners';
import { SwitchyardError } from '../client/switchyard-error';
import type { ConfigStore } from '../config/config-store';
import type { Clock, TimerHandle } from '../platform/clock';
import type { FetchLike } from '../platform/http';
import type { RandomBytes } from '../platform/random';
import type { SocketFactory, SyncSocket } from '../platform/socket';
import type { Decoder } from '../protocol/decoder';
import type { Endpoints } from '../protocol/endpoints';
import { parseJson } from '../protocol/http-request';
import { Backoff } from './backoff';
import type { BackoffOptions } from './backoff';
import { ConfigPoller } from './config-poller';

/**
 * How config reaches the client: `socket` only, HTTP `polling` only, or `auto` — the socket,
 * with polling while the socket cannot connect.
 */
export type Transport = 'auto' | 'socket' | 'polling';

/** Server messages other than config, routed to whoever registered for them. */
export type RoutedMessage = Exclude<ServerMessage, { type: 'snapshot' | 'delta' }>;

/** What `SyncClient` needs. */
export interface SyncClientOptions {
  endpoints: Endpoints;
  key: string;
  /** Sent in `hello` for diagnostics, e.g. `sdk-node/0.1.0`. */
  sdk?: string;
  transport: Transport;
  reconnect: BackoffOptions;
  pollIntervalMs: number;
  /** In `auto` mode, socket attempts in a row that must fail before polling starts. */
  pollAfterFailures: number;
  /** How long an HTTP request, or the answer to hello, may take. */
  requestTimeoutMs: number;
  store: ConfigStore;
  clock: Clock;
  random: RandomBytes;
  decoder: Decoder;
  socket?: SocketFactory;
  fetch?: FetchLike;
  onError(error: SwitchyardError): void;
}

/** One socket's life. Handlers of a replaced connection find it is no longer current and do nothing. */
interface Connection {
  socket?: SyncSocket;
  /** It delivered config: `send` may use it. */
  live: boolean;
  /** Fires when the server does not answer hello in time. */
  helloTimer?: TimerHandle;
}

/**
 * Keeps the `ConfigStore` in step with the server: opens `/v1/stream`, says `hello` with the
 * current version as `since`, applies the snapshot or deltas it answers and pushes, resyncs on a
 * version gap, and reconnects with jittered exponential backoff (reset once a connection
 * delivers config). A refused key (4401/4403) stops it and is reported; it is not retried. The
 * open socket also carries events and, later, other message kinds: `send` and `onMessage`.
 */
export class SyncClient {
  #conn: Connection | undefined;
  #reconnectTimer: TimerHandle | undefined;
  #backoff: Backoff;
  #failures = 0;
  /** The last hello answer did not fit our version: ask for a full snapshot next time. */
  #forceSnapshot = false;
  #stopped = false;
  #closed = false;
  #poller: ConfigPoller | undefined;
  #live = new Listeners<void>();
  #down = new Listeners<void>();
  #routes = new Map<string, Listeners<RoutedMessage>>();

  constructor(private readonly o: SyncClientOptions) {
    this.#backoff = new Backoff(o.reconnect, o.random);
    if (o.fetch && o.transport !== 'socket') {
      this.#poller = new ConfigPoller({
        url: o.endpoints.config,
        key: o.key,
        intervalMs: o.pollIntervalMs,
        timeoutMs: o.requestTimeoutMs,
        backoff: o.reconnect,
        store: o.store,
        clock: o.clock,
        random: o.random,
        decoder: o.decoder,
        fetch: o.fetch,
        onConfig: () => {},
        onError: (error, fatal) => (fatal ? this.#stop(error) : o.onError(error)),
      });
    }
  }

  /** True while a socket is open and has delivered config: `send` works. */
  get live(): boolean {
    return this.#conn?.live === true;
  }

  /** True while HTTP polling runs. */
  get polling(): boolean {
    return this.#poller?.running === true;
  }

  /** True once the key was refused: nothing more is attempted. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Starts syncing. */
  start(): void {
    if (this.#closed || this.#stopped) return;
    if (this.o.transport === 'polling' || !this.o.socket) this.#poller?.start();
    else this.#connect();
  }

  /** Stops everything: no reconnect, no polling. */
  close(): void {
    this.#closed = true;
    this.#clearReconnect();
    this.#poller?.stop();
    this.#retire(1000, 'client closed');
  }

  /** Sends a message on the live socket; false (and nothing sent) when there is none. */
  send(message: ClientMessage): boolean {
    const conn = this.#conn;
    if (!conn?.live || !conn.socket) return false;
    try {
      conn.socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Calls `listener` for each server message of `type` (ack, error, domain...). */
  onMessage<K extends RoutedMessage['type']>(
    type: K,
    listener: (message: Extract<RoutedMessage, { type: K }>) => void,
  ): () => void {
    let route = this.#routes.get(type);
    if (!route) this.#routes.set(type, (route = new Listeners()));
    return route.add(listener as (message: RoutedMessage) => void);
  }

  /** Calls `listener` each time a connection goes live (after its first config). */
  onLive(listener: () => void): () => void {
    return this.#live.add(listener);
  }

  /** Calls `listener` each time a live connection ends. */
  onDown(listener: () => void): () => void {
    return this.#down.add(listener);
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    if (this.#closed || this.#stopped || !this.o.socket) return;
    const conn: Connection = { live: false };
    this.#conn = conn;
    try {
      conn.socket = this.o.socket(this.o.endpoints.stream, {
        onOpen: () => this.#onOpen(conn),
        onMessage: (data) => this.#onMessage(conn, data),
        onClose: (code, reason) => this.#onClose(conn, code, reason),
      });
    } catch (error) {
      this.#onClose(conn, 1006, error instanceof Error ? error.message : 'connect failed');
    }
  }

  #onOpen(conn: Connection): void {
    if (conn !== this.#conn || !conn.socket) return;
    conn.helloTimer = this.o.clock.setTimeout(() => {
      if (conn !== this.#conn || conn.live) return;
      this.#retire(1000, 'no answer to hello');
      this.#failures++;
      this.#scheduleReconnect(false);
    }, this.o.requestTimeoutMs);
    const since = this.#forceSnapshot ? undefined : this.o.store.version;
    const hello: ClientMessage = { type: 'hello', key: this.o.key };
    if (since !== undefined) hello.since = since;
    if (this.o.sdk !== undefined) hello.sdk = this.o.sdk;
    conn.socket.send(JSON.stringify(hello));
  }

  #onMessage(conn: Connection, data: string): void {
    if (conn !== this.#conn) return;
    const decoded = this.o.decoder.serverMessage(parseJson(data));
    if (!decoded.ok) {
      this.o.onError(new SwitchyardError('BAD_MESSAGE', `server message: ${decoded.error}`));
      return;
    }
    const message = decoded.value;
    if (message.type === 'snapshot') {
      const { type: _type, ...snapshot } = message;
      this.o.store.replace(snapshot, 'server');
      this.#markLive(conn);
    } else if (message.type === 'delta') {
      const outcome = this.o.store.applyDelta(message);
      if (outcome === 'gap') this.#resync(conn);
      else this.#markLive(conn);
    } else {
      if (message.type === 'error' && message.batchId === undefined) {
        this.o.onError(
          new SwitchyardError('SERVER_ERROR', `${message.code}: ${message.message}`, message),
        );
      }
      this.#routes.get(message.type)?.emit(message);
    }
  }

  #markLive(conn: Connection): void {
    this.#forceSnapshot = false;
    if (conn.live) return;
    conn.live = true;
    this.#clearHelloTimer(conn);
    this.#failures = 0;
    this.#backoff.reset();
    this.#poller?.stop();
    this.#live.emit();
  }

  /** A delta did not fit: reconnect and ask again (at once the first time, then backing off). */
  #resync(conn: Connection): void {
    // A gap in the very answer to hello means `since` itself is no good: ask for a snapshot.
    if (!conn.live) this.#forceSnapshot = true;
    this.#retire(1000, 'resync');
    this.#scheduleReconnect(true);
  }

  #onClose(conn: Connection, code: number, reason: string): void {
    if (conn !== this.#conn) return;
    this.#conn = undefined;
    this.#clearHelloTimer(conn);
    if (conn.live) this.#down.emit();
    if (this.#closed) return;
    if (code === CloseCodes.unauthorized || code === CloseCodes.forbidden) {
      const kind = code === CloseCodes.unauthorized ? 'UNAUTHORIZED' : 'FORBIDDEN';
      this.#stop(
        new SwitchyardError(kind, `the server refused the key (${code} ${reason})`, {
          code,
          reason,
        }),
      );
      return;
    }
    if (code === CloseCodes.badMessage) {
      this.o.onError(
        new SwitchyardError('BAD_MESSAGE', `the server closed the stream: ${reason}`, {
          code,
          reason,
        }),
      );
    }
    if (!conn.live) this.#failures++;
    if (this.o.transport === 'auto' && this.#failures >= this.o.pollAfterFailures)
      this.#poller?.start();
    this.#scheduleReconnect(code === CloseCodes.slowConsumer);
  }

  #scheduleReconnect(soon: boolean): void {
    this.#clearReconnect();
    if (this.#closed || this.#stopped) return;
    // The first retry after a good stretch may be immediate; every retry still counts, so a
    // server that keeps answering with gaps is not hammered.
    const immediate = soon && this.#backoff.attempts === 0;
    const delay = this.#backoff.next();
    this.#reconnectTimer = this.o.clock.setTimeout(() => this.#connect(), immediate ? 0 : delay);
  }

  #clearHelloTimer(conn: Connection): void {
    if (conn.helloTimer !== undefined) this.o.clock.clearTimeout(conn.helloTimer);
    conn.helloTimer = undefined;
  }

  #clearReconnect(): void {
    if (this.#reconnectTimer !== undefined) this.o.clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  /** Ends the current connection on purpose; its own close event will find it replaced. */
  #retire(code: number, reason: string): void {
    const conn = this.#conn;
    if (!conn) return;
    this.#conn = undefined;
    this.#clearHelloTimer(conn);
    if (conn.live) this.#down.emit();
    try {
      conn.socket?.close(code, reason);
    } catch {
      // Already closing; its close event finishes the job.
    }
  }

  #stop(error: SwitchyardError): void {
    this.#stopped = true;
    this.#clearReconnect();
    this.#poller?.stop();
    this.#retire(1000, 'stopped');
    this.o.onError(error);
  }
}
