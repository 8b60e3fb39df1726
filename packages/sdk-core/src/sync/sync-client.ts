import type { ClientMessage, ServerMessage } from '@switchyard/core/schema';
import type { ClientOptions, Platform } from '../client/client-options';
import { emitter } from '../client/emitter';
import { SwitchyardError } from '../client/switchyard-error';
import type { SwitchyardErrorCode } from '../client/switchyard-error';
import type { ConfigStore } from '../config/config-store';
import type { TimerHandle } from '../platform/clock';
import type { SyncSocket } from '../platform/socket';
import { endpointsFor } from '../protocol/endpoints';
import { parseJson } from '../protocol/http-request';
import { backoffDelay } from './backoff';

/**
 * How config reaches the client: `socket` only, HTTP `polling` only, or `auto` — the socket,
 * with polling while the socket cannot connect.
 */
export type Transport = 'auto' | 'socket' | 'polling';

/** Server messages other than config, routed to whoever registered for them. */
export type RoutedMessage = Exclude<ServerMessage, { type: 'snapshot' | 'delta' }>;

/** The connection a client keeps with the server; see {@link syncClient}. */
export interface SyncClient {
  /** True while a socket is open and has delivered config: `send` works. */
  readonly live: boolean;
  /** True while HTTP polling runs. */
  readonly polling: boolean;
  /** True once the key was refused: nothing more is attempted. */
  readonly stopped: boolean;
  /** Starts syncing. */
  start(): void;
  /** Stops everything: no reconnect, no polling. */
  close(): void;
  /** Sends a message on the live socket; false (and nothing sent) when there is none. */
  send(message: ClientMessage): boolean;
  /** Calls `listener` for each server message of `type` (ack, error, domain...). */
  onMessage<K extends RoutedMessage['type']>(
    type: K,
    listener: (message: Extract<RoutedMessage, { type: K }>) => void,
  ): () => void;
  /** Calls `listener` each time a connection goes live (after its first config). */
  onLive(listener: () => void): () => void;
  /** Calls `listener` each time a live connection ends. */
  onDown(listener: () => void): () => void;
}

/** One socket's life. Handlers of a replaced connection find it is no longer current and do nothing. */
interface Connection {
  socket?: SyncSocket;
  /** It delivered config: `send` may use it. */
  live?: boolean;
  /** Fires when the server does not answer hello in time. */
  helloTimer?: TimerHandle;
}

type Topics = { [K in RoutedMessage['type']]: Extract<RoutedMessage, { type: K }> } & {
  live: void;
  down: void;
};

/**
 * Keeps `store` in step with the server of `options.url`: opens `/v1/stream`, says `hello`
 * with the current version as `since`, applies the snapshot or deltas it answers and pushes,
 * resyncs on a version gap, and reconnects with jittered exponential backoff (reset once a
 * connection delivers config). With a `platform.poller` (see `configPoller`) and `fetch`, it
 * polls the config over HTTP while the socket cannot connect (`transport: 'auto'`, after
 * `pollAfterFailures` failures) or always (`'polling'`). A refused key (4401/4403, HTTP
 * 401/403) stops it and is reported; it is not retried. The open socket also carries events
 * and other message kinds: `send` and `onMessage`.
 */
export function syncClient(
  options: ClientOptions,
  platform: Platform,
  store: ConfigStore,
  onError: (error: SwitchyardError) => void,
): SyncClient {
  const { clock, socket: openSocket } = platform;
  const { transport = 'auto' } = options;
  const endpoints = endpointsFor(options.url!);
  const events = emitter<Topics>();
  let conn: Connection | undefined;
  let reconnectTimer: TimerHandle | undefined;
  let failures = 0;
  let attempts = 0;
  /** The last hello answer did not fit our version: ask for a full snapshot next time. */
  let forceSnapshot = false;
  let stopped = false;
  let closed = false;
  const report = (code: SwitchyardErrorCode, message: string, details?: unknown) =>
    onError(new SwitchyardError(code, message, details));

  /** The key was refused (close code 4401/4403, HTTP 401/403): stop, and say so. */
  const refused = (code: number, message: string): void => {
    stopped = true;
    halt('stopped');
    report(code % 10 === 1 ? 'UNAUTHORIZED' : 'FORBIDDEN', message, { code });
  };
  const poller =
    transport !== 'socket' &&
    platform.fetch &&
    platform.poller?.({ options, platform, url: endpoints.config, store, refused, onError });

  const connect = (): void => {
    if (closed || stopped || !openSocket) return;
    const c: Connection = (conn = {});
    /** Forgets `c` (once): its later events find it replaced. */
    const detach = (): boolean => {
      if (c !== conn) return false;
      conn = undefined;
      clock.clearTimeout(c.helloTimer);
      if (c.live) events.emit('down', undefined);
      return true;
    };
    /** Ends `c` on purpose; its own close event will find it replaced. */
    const retire = (reason: string) => {
      if (detach())
        try {
          c.socket!.close(1000, reason);
        } catch {
          // Already closing; its close event finishes the job.
        }
    };
    retireCurrent = retire;
    const ended = (code: number, reason: string): void => {
      if (!detach() || closed) return;
      // Core's CloseCodes, as literals so that the bundle carries no table: 4401 unauthorized and
      // 4403 forbidden, 4400 bad message, 4408 slow consumer.
      if (code === 4401 || code === 4403) return refused(code, `key refused (${code} ${reason})`);
      if (code === 4400) report('BAD_MESSAGE', `stream closed: ${reason}`, { code, reason });
      if (!c.live) failures++;
      if (transport === 'auto' && failures >= (options.pollAfterFailures ?? 2) && poller)
        poller.start();
      schedule(code === 4408);
    };
    try {
      c.socket = openSocket(endpoints.stream, {
        onOpen: () => {
          if (c !== conn || !c.socket) return;
          c.helloTimer = clock.setTimeout(() => {
            retire('no hello');
            failures++;
            schedule(false);
          }, options.requestTimeoutMs ?? 1e4);
          const since = forceSnapshot ? undefined : store.version;
          c.socket.send(
            JSON.stringify({ type: 'hello', key: options.key, since, sdk: options.sdk }),
          );
        },
        onMessage: (data) => {
          if (c !== conn) return;
          const decoded = platform.decoder.serverMessage(parseJson(data));
          if (!decoded.ok) return report('BAD_MESSAGE', decoded.error);
          const message = decoded.value;
          if (message.type === 'snapshot') {
            const { type: _type, ...snapshot } = message;
            store.replace(snapshot, 'server');
          } else if (message.type !== 'delta') {
            if (message.type === 'error' && message.batchId === undefined)
              report('SERVER_ERROR', `${message.code}: ${message.message}`, message);
            return events.emit(message.type, message as never);
          } else if (store.applyDelta(message) === 'gap') {
            // A gap in the very answer to hello means `since` itself is no good: ask for a snapshot.
            forceSnapshot ||= !c.live;
            retire('resync');
            return schedule(true);
          }
          forceSnapshot = false;
          if (c.live) return;
          c.live = true;
          clock.clearTimeout(c.helloTimer);
          failures = attempts = 0;
          poller && poller.stop();
          events.emit('live', undefined);
        },
        onClose: ended,
      });
    } catch {
      ended(1006, '');
    }
  };
  let retireCurrent: (reason: string) => void = () => {};

  const schedule = (soon: boolean): void => {
    clock.clearTimeout(reconnectTimer);
    if (closed || stopped) return;
    // The first retry after a good stretch may be immediate; every retry still counts, so a
    // server that keeps answering with gaps is not hammered.
    const delay = backoffDelay(
      { baseMs: 500, maxMs: 3e4, ...options.reconnect },
      attempts++,
      platform.random,
    );
    reconnectTimer = clock.setTimeout(connect, soon && attempts < 2 ? 0 : delay);
  };

  const halt = (reason: string): void => {
    clock.clearTimeout(reconnectTimer);
    poller && poller.stop();
    retireCurrent(reason);
  };

  return {
    get live() {
      return !!conn?.live;
    },
    get polling() {
      return !!poller && poller.running;
    },
    get stopped() {
      return stopped;
    },
    start() {
      if (closed || stopped) return;
      if (transport !== 'polling' && openSocket) connect();
      else if (poller) poller.start();
    },
    close() {
      closed = true;
      halt('closed');
    },
    send(message) {
      const socket = conn?.live && conn.socket;
      try {
        socket && socket.send(JSON.stringify(message));
        return !!socket;
      } catch {
        return false;
      }
    },
    onMessage: (type, listener) => events.on(type, listener as never),
    onLive: (listener) => events.on('live', listener),
    onDown: (listener) => events.on('down', listener),
  };
}
