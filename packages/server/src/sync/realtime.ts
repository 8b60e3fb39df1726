import type { Server } from 'node:http';
import express from 'express';
import type { Router } from 'express';
import type { Clock } from '../clock';
import { requireKey } from '../http/auth';
import { evaluateRouter } from '../http/routes/evaluate';
import { DEFAULT_EVENTS_BODY_LIMIT, eventsRoute } from '../ingest/events-route';
import { Ingestor, RateLimitedError } from '../ingest/ingestor';
import type { RateLimit } from '../ingest/rate-limiter';
import { MetricCatalogs } from '../ingest/metric-catalogs';
import { resultsRoute } from '../ingest/results-route';
import { CachedKeyVerifier } from '../keys/key-verifier';
import type { Keys } from '../keys/keys';
import type { Logger } from '../logger';
import { createRemoteHookDelivery } from '../remote-hooks';
import type { RemoteHookDelivery } from '../remote-hooks';
import { PostgresCommitListener } from '../scale-out/commit-listener';
import type { Switchyard } from '../service/switchyard';
import { PostgresStore } from '../store/postgres-store';
import { ConfigFeed } from './config-feed';
import { configRoute } from './config-route';
import { LogFollower } from './log-follower';
import { SyncHub } from './sync-hub';
import type { SocketEventsHandler } from './sync-hub';

/** How the sync hub and ingestion behave. */
export interface RealtimeOptions {
  /** Config steps kept per environment, so clients that were away resume with a delta (256). */
  historySize?: number;
  /** Ping interval of the stream's heartbeat, ms (30,000). */
  heartbeatMs?: number;
  /** How long a socket may stay open without a hello, ms (10,000). */
  helloTimeoutMs?: number;
  /** Send-buffer bound per socket; past it the socket is closed with 4408 (4 MiB). */
  maxBufferedBytes?: number;
  /** Per-key token bucket over ingested events (see DEFAULT_RATE_LIMIT); false for none. */
  rateLimit?: RateLimit | false;
  /**
   * On a SQLite file, store ingested batches from a worker thread with a connection of its own
   * (true); false for this thread (see `IngestorOptions.worker`).
   */
  ingestWorker?: boolean;
  /** Largest `POST /v1/events` body ('4mb'). */
  eventsBodyLimit?: string;
  /** Largest `POST /v1/evaluate` body ('512kb'). */
  evaluateBodyLimit?: string;
  /** How long a verified SDK key is trusted on the stream and ingestion paths, ms (5000). */
  keyCacheMs?: number;
  /** On PostgreSQL, how often the log is read without a NOTIFY, as a safety net, ms (2000). */
  pollMs?: number;
}

/** What `Realtime` is built on. */
export interface RealtimeDeps {
  sy: Switchyard;
  keys: Keys;
  logger: Logger;
  clock: Clock;
}

/**
 * Real-time sync and ingestion of one server: the log follower that sees every commit (of this
 * instance, and of others on the same PostgreSQL through LISTEN/NOTIFY), the config feed and the
 * WebSocket hub built on it, and the ingestor. `mount` adds its HTTP routes, `attach` its socket
 * endpoint, `close` stops it all (sockets are told to go away; batches in flight are committed).
 */
export class Realtime {
  readonly follower: LogFollower;
  readonly feed: ConfigFeed;
  readonly hub: SyncHub;
  readonly ingestor: Ingestor;
  readonly catalogs: MetricCatalogs;
  /** Remote hooks: domain events delivered to subscribed sockets. */
  readonly hooks: RemoteHookDelivery;
  readonly #keys: CachedKeyVerifier;
  readonly #listener: PostgresCommitListener | undefined;
  readonly #stopRevocations: () => void;
  #closed: Promise<void> | undefined;

  private constructor(
    private readonly deps: RealtimeDeps,
    private readonly options: RealtimeOptions,
  ) {
    const { sy, logger } = deps;
    const store = sy.store;
    const postgres = store instanceof PostgresStore ? store : undefined;
    this.follower = new LogFollower({
      store,
      logger,
      pollMs: postgres ? (options.pollMs ?? 2000) : 0,
    });
    this.#keys = new CachedKeyVerifier(deps.keys, {
      ttlMs: options.keyCacheMs ?? 5000,
      now: () => deps.clock.now().getTime(),
    });
    this.feed = new ConfigFeed({
      store,
      follower: this.follower,
      environments: sy.environments,
      ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
    });
    this.catalogs = new MetricCatalogs(store, this.follower);
    this.ingestor = new Ingestor({
      store,
      catalogs: this.catalogs,
      clock: deps.clock,
      logger,
      ...(options.ingestWorker === undefined ? {} : { worker: options.ingestWorker }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
    // It hears this process's commits itself; those of other instances come through the follower.
    this.hooks = createRemoteHookDelivery({ store, logger, pollMs: 0 });
    if (postgres) this.follower.subscribe(() => void this.hooks.poke());
    this.hub = new SyncHub({
      feed: this.feed,
      keys: this.#keys,
      logger,
      events: this.#socketEvents,
      hooks: this.hooks,
      ...pick(options, ['heartbeatMs', 'helloTimeoutMs', 'maxBufferedBytes']),
    });
    this.#stopRevocations = deps.keys.onRevoke((key) => {
      this.#keys.clear();
      this.hub.revoked(key.id);
    });
    this.#listener = postgres
      ? new PostgresCommitListener({
          url: postgres.connection.url,
          channel: postgres.channel,
          logger,
          onNotice: () => this.follower.poke(),
        })
      : undefined;
  }

  /** Starts following the log (and, on PostgreSQL, listening for other instances' commits). */
  static async start(deps: RealtimeDeps, options: RealtimeOptions = {}): Promise<Realtime> {
    const realtime = new Realtime(deps, options);
    await realtime.follower.start();
    await realtime.#listener?.start();
    return realtime;
  }

  /**
   * Adds `/config`, `/evaluate` (both read the feed's snapshots), `/events` (SDK keys) and
   * `/experiments/:id/results` to a `/v1` router.
   */
  mount(v1: Router): void {
    // Polled now and then: every request asks the store, so a revocation takes effect at once.
    v1.use('/config', configRoute(this.feed, this.deps.keys));
    v1.use(
      '/evaluate',
      requireKey(this.deps.keys, 'admin', 'server', 'client'),
      express.json({ limit: this.options.evaluateBodyLimit ?? '512kb' }),
      evaluateRouter(this.feed),
    );
    v1.use(
      '/events',
      eventsRoute(
        this.ingestor,
        this.#keys,
        this.options.eventsBodyLimit ?? DEFAULT_EVENTS_BODY_LIMIT,
      ),
    );
    v1.use(resultsRoute(this.deps.sy.store, requireKey(this.deps.keys, 'admin'), this.deps.clock));
  }

  /** Serves `/v1/stream` on the HTTP server's upgrades. */
  attach(http: Server): void {
    this.hub.attach(http);
  }

  /** Closes the sockets, commits the batches in flight, stops following. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#stopRevocations();
      await this.hub.close();
      await this.hooks.close();
      await this.ingestor.close();
      await this.#listener?.stop();
      await this.follower.stop();
    })();
    return this.#closed;
  }

  readonly #socketEvents: SocketEventsHandler = async (key, environment, message) => {
    const { batchId } = message;
    try {
      return {
        type: 'ack',
        ...(await this.ingestor.ingest(key, environment, batchId, message.events)),
      };
    } catch (error) {
      if (error instanceof RateLimitedError) {
        return { type: 'error', code: error.code, message: error.message, batchId };
      }
      this.deps.logger.error({ err: error }, 'ingesting a socket batch failed');
      return {
        type: 'error',
        code: 'internal',
        message: 'the batch was not stored; send it again',
        batchId,
      };
    }
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
