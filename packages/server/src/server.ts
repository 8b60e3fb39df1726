import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Router } from 'express';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { createApp } from './http/app';
import type { Lifecycle } from './http/routes/health';
import { bootstrapProject } from './keys/bootstrap';
import type { CreatedKey } from './keys/keys';
import { Keys } from './keys/keys';
import type { Logger } from './logger';
import { createLogger, silentLogger } from './logger';
import { ServerMetrics } from './observability/server-metrics';
import { AnalysisMonitor } from './analysis/analysis-monitor';
import type { AnalysisMonitorOptions } from './analysis/analysis-monitor';
import { Scheduler } from './scheduler/scheduler';
import type { SchedulerOptions } from './scheduler/scheduler';
import { Switchyard } from './service/switchyard';
import type { SwitchyardOptions } from './service/switchyard';
import { Realtime } from './sync/realtime';
import type { RealtimeOptions } from './sync/realtime';
import { openStore } from './store/open-store';
import type { Store } from './store/store';
import type { Context } from './verbs/context';
import type { RetryPolicy } from './verbs/hooks';
import { WebhookDispatcher } from './webhooks/dispatcher';
import type { WebhookDispatcherOptions } from './webhooks/dispatcher';

/** A hooks module's export: registers hooks on `$` (`$.Experiment.concluded(fn)`). */
export type HookSetup = ($: Context) => void | Promise<void>;

export interface ServerOptions {
  /** A SQLite file, `:memory:` (the default), or a `postgres://` URL. */
  db?: string;
  /** PostgreSQL only: the schema to use (created if missing). */
  schema?: string;
  /** An open store to use instead of `db` (the server will not close it). */
  store?: Store;
  /** Hook setups run before the server serves. */
  hooks?: HookSetup | HookSetup[];
  /** The initial admin key on first start (instead of a generated one). */
  adminKey?: string;
  /** A pino-compatible logger; false for none. Default: pino at LOG_LEVEL or info. */
  logger?: Logger | false;
  clock?: Clock;
  /** Largest JSON body (default `512kb`). */
  bodyLimit?: string;
  /** How failing after-hooks are retried. */
  hookRetry?: RetryPolicy;
  /**
   * After-hook runs still owed (from before a restart, or another instance's): how often to look
   * for them (`pollMs`, default 1,000) and how long an attempt holds its run before another may
   * take it (`leaseMs`, default 60,000).
   */
  afterHooks?: SwitchyardOptions['afterHooks'];
  /** Webhook delivery settings (retry, timeoutMs, pollMs); false to deliver none. */
  webhooks?: Pick<WebhookDispatcherOptions, 'retry' | 'timeoutMs' | 'pollMs'> | false;
  /** How the workflow scheduler wakes and retries; false to run no workflow steps here. */
  scheduler?: SchedulerOptions | false;
  /** The sync stream (`/v1/stream`), `/v1/config` and SDK ingestion (`/v1/events`). */
  realtime?: RealtimeOptions;
  /**
   * How running experiments and guarded rollouts are analysed (auto-conclusion, SRM events,
   * guards between steps); false for no analysis here (results are still served).
   */
  analysis?: AnalysisMonitorOptions | false;
  /** Extra `/v1` routes, mounted before the built-in collections. */
  routes?: (v1: Router, server: SwitchyardServer) => void;
  /**
   * Called once the HTTP server listens (e.g. to attach a WebSocket server to its upgrades);
   * the function it may answer runs first on `close`, before requests are drained.
   */
  attach?: (http: Server, server: SwitchyardServer) => (() => Promise<void>) | void;
}

/** A running (or ready to run) Switchyard server. */
export interface SwitchyardServer {
  /** Verbs in the development environment; hooks registered here fire in every environment. */
  readonly $: Context;
  readonly switchyard: Switchyard;
  readonly store: Store;
  readonly keys: Keys;
  readonly metrics: ServerMetrics;
  readonly app: Express;
  readonly logger: Logger;
  /** Runs the steps of scheduled workflows; undefined when `scheduler: false`. */
  readonly scheduler: Scheduler | undefined;
  /** Auto-conclusion, SRM events and guards; undefined when `analysis: false`. */
  readonly analysis: AnalysisMonitor | undefined;
  /** The sync hub, config feed and ingestion. */
  readonly realtime: Realtime;
  /** The keys made on this first start, with their secrets; null when the store existed. */
  readonly initialKeys: CreatedKey[] | null;
  /** `http://host:port` once listening. */
  readonly url: string | undefined;
  /** The Node HTTP server once listening. */
  readonly http: Server | undefined;
  /** Starts serving (port 0 or none: an ephemeral one); answers the URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, finishes in-flight requests and hooks, closes the store. */
  close(): Promise<void>;
}

/** How long `close` lets in-flight requests finish before cutting connections. */
const DRAIN_MS = 10_000;

/** Opens the store, sets up the project on first start, and builds the HTTP app. */
export async function createServer(options: ServerOptions = {}): Promise<SwitchyardServer> {
  const logger = options.logger === false ? silentLogger : (options.logger ?? createLogger());
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const store =
    options.store ??
    (await openStore({
      db: options.db ?? ':memory:',
      now,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
    }));
  const metrics = new ServerMetrics();
  const switchyard = new Switchyard({
    store,
    clock,
    logger,
    observer: metrics,
    ...(options.hookRetry ? { hookRetry: options.hookRetry } : {}),
    ...(options.afterHooks ? { afterHooks: options.afterHooks } : {}),
  });
  const keys = new Keys(store, switchyard.environments, clock);
  const initialKeys = await bootstrapProject(store, keys, clock, options.adminKey);
  for (const setup of [options.hooks ?? []].flat()) await setup(switchyard.$);
  const realtime = await Realtime.start({ sy: switchyard, keys, logger, clock }, options.realtime);
  const stopMetrics = metrics.follow({ store, ingestor: realtime.ingestor, hub: realtime.hub });
  const dispatcher =
    options.webhooks === false
      ? undefined
      : new WebhookDispatcher({
          store,
          clock,
          logger,
          onAttempt: (outcome) => metrics.webhookAttempts.inc({ outcome }),
          ...options.webhooks,
        });
  dispatcher?.start();
  // Hooks are registered by now, so steps that fell due while the server was down run with them.
  const scheduler =
    options.scheduler === false
      ? undefined
      : new Scheduler(switchyard, {
          onStep: (outcome) => metrics.workflowSteps.inc({ outcome }),
          ...options.scheduler,
        });
  scheduler?.start();
  const analysis =
    options.analysis === false ? undefined : new AnalysisMonitor(switchyard, options.analysis);
  analysis?.start(realtime.ingestor);

  const lifecycle: Lifecycle = { closing: false };
  let http: Server | undefined;
  let url: string | undefined;
  let closed: Promise<void> | undefined;
  let detach: (() => Promise<void>) | undefined;

  const server: SwitchyardServer = {
    $: switchyard.$,
    switchyard,
    store,
    keys,
    metrics,
    logger,
    scheduler,
    analysis,
    realtime,
    initialKeys,
    get url() {
      return url;
    },
    get http() {
      return http;
    },
    app: undefined as unknown as Express,
    async listen(port = 0, host = '127.0.0.1') {
      if (http) throw new Error('the server is already listening');
      http = createHttpServer(server.app);
      await new Promise<void>((resolve, reject) => {
        http!.once('error', reject);
        http!.listen(port, host, () => resolve());
      });
      const address = http.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${shownHost}:${address.port}`;
      realtime.attach(http);
      detach = options.attach?.(http, server) ?? undefined;
      logger.info({ url, engine: store.engine }, 'switchyard listening');
      return url;
    },
    close() {
      closed ??= (async () => {
        lifecycle.closing = true;
        await realtime.hub.close();
        await detach?.();
        if (http) await drain(http);
        // After the drain: batches of requests that were in flight are committed first.
        await realtime.close();
        await analysis?.close();
        await scheduler?.close();
        await dispatcher?.close();
        await switchyard.close();
        stopMetrics();
        if (!options.store) await store.close();
        logger.info({}, 'switchyard stopped');
      })();
      return closed;
    },
  };
  (server as { app: Express }).app = createApp({
    sy: switchyard,
    keys,
    metrics,
    logger,
    lifecycle,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    routes: (v1: Router) => {
      realtime.mount(v1);
      options.routes?.(v1, server);
    },
  });
  return server;
}

/** Stops accepting, lets open requests finish (keep-alive sockets close as soon as they idle). */
async function drain(http: Server): Promise<void> {
  const done = new Promise<void>((resolve) => http.close(() => resolve()));
  // A socket that finishes its request after close() began would idle until its keep-alive timeout.
  const idle = setInterval(() => http.closeIdleConnections(), 25);
  http.closeIdleConnections();
  const cut = setTimeout(() => http.closeAllConnections(), DRAIN_MS);
  cut.unref();
  await done;
  clearInterval(idle);
  clearTimeout(cut);
}
