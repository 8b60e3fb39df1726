import type { ConfigCache } from '../platform/config-cache';
import type { Clock } from '../platform/clock';
import type { EventQueueStorage } from '../platform/event-queue-storage';
import type { FetchLike } from '../platform/http';
import type { RandomBytes } from '../platform/random';
import type { SocketFactory } from '../platform/socket';
import type { StickyAssignments } from '../evaluation/sticky-assignments';
import type { Decoder } from '../protocol/decoder';
import type { BackoffOptions } from '../sync/backoff';
import type { ConfigPoller } from '../sync/config-poller';
import type { EventPoster } from '../events/http-event-poster';
import type { Transport } from '../sync/sync-client';
import type { SwitchyardError } from './switchyard-error';

/** What a platform adapter (sdk-node, sdk-browser) plugs into a `SwitchyardClient`. */
export interface Platform {
  clock: Clock;
  random: RandomBytes;
  /** Validation of everything received; `schemaDecoder` is the complete one. */
  decoder: Decoder;
  /** Opens WebSockets; without it config comes by HTTP polling only (with a `poller`). */
  socket?: SocketFactory;
  /** Makes HTTP requests; without it there is no polling and events go over the socket only. */
  fetch?: FetchLike;
  /**
   * Polls the config over HTTP while the socket cannot connect (`configPoller`); without it,
   * config comes over the socket only (and from bootstrap and cache).
   */
  poller?: ConfigPoller;
  /**
   * Sends events by `POST /v1/events` while the socket is not live (`httpEventPoster`); without
   * it, events wait for the socket (in a browser, a page's unload beacon also carries them).
   */
  eventPoster?: EventPoster;
  /** Last good config (default: in memory). */
  configCache?: ConfigCache;
  /** Unsent events, kept across restarts (default: none, they live in the client's memory). */
  eventStorage?: EventQueueStorage;
}

/** Event delivery settings. */
export interface EventOptions {
  /** Most events per batch (default 100, at most core's MAX_BATCH_EVENTS). */
  batchSize?: number;
  /** Longest an event waits before it is sent, in ms (default 2000). */
  flushIntervalMs?: number;
  /** Most events held; past it the oldest are dropped and counted (default 10,000). */
  maxQueueSize?: number;
  /** Retry delays of a failed batch (default 1 s doubling up to 60 s). */
  retry?: Partial<BackoffOptions>;
  /** How long `flush()` and `close()` wait by default, in ms (default 10,000). */
  flushTimeoutMs?: number;
  /** How long to wait for the socket's ack of a batch, in ms (default 10,000). */
  ackTimeoutMs?: number;
}

/** Options of a `SwitchyardClient`. Adapters fill `url` and `key` from their environment. */
export interface ClientOptions {
  /** The server's base URL, `http(s)://` or `ws(s)://` (required unless `offline`). */
  url?: string;
  /** An SDK key: a server key in Node, a client key in browsers (required unless `offline`). */
  key?: string;
  /** Sent in hello, e.g. `sdk-node/0.1.0`. */
  sdk?: string;
  /** A config to start with: a snapshot or a `BootstrapPayload`; validated. */
  bootstrap?: unknown;
  /** No network at all: evaluate the bootstrap or cached config, keep events queued. */
  offline?: boolean;
  /** `auto` (default): socket, with HTTP polling while it cannot connect (with a `poller`). */
  transport?: Transport;
  /** Reconnect delays (default 500 ms doubling up to 30 s, jittered). */
  reconnect?: Partial<BackoffOptions>;
  /** HTTP polling interval, in ms (default 30,000). */
  pollIntervalMs?: number;
  /** In `auto` mode, failed socket attempts in a row before polling starts (default 2). */
  pollAfterFailures?: number;
  /** How long an HTTP request or the answer to hello may take, in ms (default 10,000). */
  requestTimeoutMs?: number;
  events?: EventOptions;
  /** Automatic exposure events (default on); `dedupCapacity` bounds the dedup LRU. */
  exposures?: boolean | { dedupCapacity?: number };
  /**
   * Sticky assignments (default off): a unit keeps the variant a read first served it in a
   * running experiment, even when the weights change, until the experiment ends. Pass a
   * `StickyAssignments` (it is opt-in so that clients without it do not carry its code).
   */
  stickyAssignments?: StickyAssignments | undefined;
  /** The context attribute `track` takes the event's unit from (default `userId`). */
  unitAttribute?: string;
  /** Problems that do not fail a call: refused keys, bad messages, rejected events... */
  onError?: (error: SwitchyardError) => void;
}
