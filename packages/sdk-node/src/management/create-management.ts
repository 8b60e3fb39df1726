import type { SocketFactory, SwitchyardError } from '@switchyard/sdk-core';
import { SDK_NAME } from '../create-client';
import type { HookRetryPolicy } from '../hooks/hook-retry';
import type { RemoteHookError } from '../hooks/hook-retry';
import { RemoteHooks } from '../hooks/remote-hooks';
import type { RemoteHandler } from '../hooks/remote-hooks';
import { callRoute } from './call-route';
import type { Fetch } from './rest-client';
import { RestClient } from './rest-client';
import { eventTypeOf, FACADES, PAST, writeVerbsOf } from './routes';
import type { FacadeName, VerbRoute } from './routes';
import type { EnvironmentApi, KeyApi, LogPage, LogQuery, Management } from './types';

/** Options of `createManagement`. */
export interface ManagementOptions {
  /** The server's base URL (default: env `SWITCHYARD_URL`). */
  url?: string;
  /** An admin key (default: env `SWITCHYARD_ADMIN_KEY`). */
  adminKey?: string;
  /**
   * The environment verbs run in (default `development`). Naming one also limits the hooks
   * registered here to its events; without it they hear every environment, like the server's `$`.
   */
  environment?: string;
  /** How long one request may take, in ms (default 30,000). */
  timeoutMs?: number;
  /** Remote hooks settings. */
  hooks?: {
    /**
     * The subscriber name: progress is kept per name on the server, so a process that restarts
     * with it resumes, and processes sharing it take turns (one runs, the others stand by).
     * Default: derived from the registered hooks and environment.
     */
    name?: string;
    /**
     * Where a new name starts: after this domain-log seq. Default: the log's end when this
     * management API was created, so hooks hear the verbs it ran before they were registered.
     */
    after?: number;
    /** Retries of a failing hook (default 8 tries, 250 ms doubling to 15 s). */
    retry?: Partial<HookRetryPolicy>;
  };
  /** Hooks that failed and connection problems (default: written to stderr). */
  onError?: (error: RemoteHookError | SwitchyardError) => void;
  /** Replaces the global fetch (proxies, tests). */
  fetch?: Fetch;
  /** Replaces the `ws` socket of remote hooks (tests). */
  socket?: SocketFactory;
}

/** What every environment's API shares: the HTTP client, the hooks socket, the log origin. */
interface Shared {
  rest: RestClient;
  /** The log's end when the API was created; every call waits for it once. */
  origin(): Promise<number | undefined>;
  hooks(): RemoteHooks<Management>;
  closeHooks(options?: { timeoutMs?: number }): Promise<void>;
  contexts: Map<string, Management>;
}

/**
 * The management API over REST with an admin key: the seed's verbs (`Experiment.create`,
 * `Experiment.conclude`, `FeatureFlag.rollout`, `Workflow.create`, `Metric.record`, …) with the
 * server's input and result types, errors as `SwitchyardApiError` subclasses, and remote
 * after-hooks (`Experiment.concluded(async (experiment, $) => …)`). Throws (misuse) when no URL or
 * admin key is given or set in the environment. Call `close()` when hooks were registered.
 */
export function createManagement(options: ManagementOptions = {}): Management {
  const url = options.url ?? process.env.SWITCHYARD_URL;
  const adminKey = options.adminKey ?? process.env.SWITCHYARD_ADMIN_KEY;
  if (!url) throw new TypeError('switchyard: give url or set SWITCHYARD_URL');
  if (!adminKey) throw new TypeError('switchyard: give adminKey or set SWITCHYARD_ADMIN_KEY');
  const rest = new RestClient({
    url,
    adminKey,
    timeoutMs: options.timeoutMs ?? 30_000,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  });
  let origin: Promise<number | undefined> | undefined;
  let hooks: RemoteHooks<Management> | undefined;
  const onError =
    options.onError ?? ((error: Error) => console.error(`switchyard: ${error.message}`));
  const shared: Shared = {
    rest,
    origin: () =>
      (origin ??=
        options.hooks?.after !== undefined ? Promise.resolve(options.hooks.after) : logEnd(rest)),
    hooks: () =>
      (hooks ??= new RemoteHooks<Management>({
        url: rest.baseUrl,
        key: adminKey,
        sdk: SDK_NAME,
        ...(options.hooks?.name === undefined ? {} : { name: options.hooks.name }),
        ...(options.hooks?.retry === undefined ? {} : { retry: options.hooks.retry }),
        after: shared.origin,
        context: (environment) => contextOf(shared, environment),
        onError,
        ...(options.socket ? { platform: { socket: options.socket } } : {}),
      })),
    closeHooks: async (o) => hooks?.close(o),
    contexts: new Map(),
  };
  return buildManagement(shared, options.environment ?? 'development', options.environment);
}

/** The seq of the log's last row, from `/readyz`; undefined when it cannot be read. */
async function logEnd(rest: RestClient): Promise<number | undefined> {
  try {
    const ready = await rest.request<{ version?: unknown }>('GET', '/readyz');
    return typeof ready.version === 'number' ? ready.version : undefined;
  } catch {
    // The server then starts a new subscriber where it is when the subscription arrives.
    return undefined;
  }
}

/** The `$` a hook of `environment` receives: the same API, scoped to that environment. */
function contextOf(shared: Shared, environment: string): Management {
  let context = shared.contexts.get(environment);
  if (!context) {
    context = buildManagement(shared, environment, environment);
    shared.contexts.set(environment, context);
  }
  return context;
}

function buildFacade(
  shared: Shared,
  facade: FacadeName,
  environment: string,
  hookScope: string | undefined,
) {
  const { path, verbs } = FACADES[facade];
  const api: Record<string, unknown> = {};
  for (const [verb, route] of Object.entries(verbs) as [string, VerbRoute][]) {
    api[verb] = async (input: unknown) => {
      await shared.origin();
      return callRoute(shared.rest, path, verb, route, input, environment);
    };
  }
  for (const verb of writeVerbsOf(facade)) {
    const type = eventTypeOf(facade, PAST[verb]);
    api[PAST[verb]] = (handler: RemoteHandler<Management>) =>
      shared.hooks().register(type, handler, hookScope);
  }
  return Object.freeze(api);
}

function buildManagement(
  shared: Shared,
  environment: string,
  hookScope: string | undefined,
): Management {
  const { rest } = shared;
  const facades = Object.fromEntries(
    (Object.keys(FACADES) as FacadeName[]).map((f) => [
      f,
      buildFacade(shared, f, environment, hookScope),
    ]),
  );
  const Key: KeyApi = {
    list: async () => (await rest.request<{ data: never }>('GET', '/v1/keys')).data,
    create: (input) => rest.request('POST', '/v1/keys', {}, input),
    revoke: (input) => {
      const id = typeof input === 'string' ? input : input.id;
      return rest.request('POST', `/v1/keys/${encodeURIComponent(id)}/revoke`);
    },
  };
  const Environment: EnvironmentApi = {
    list: async () =>
      (await rest.request<{ data: { name: string }[] }>('GET', '/v1/environments')).data.map(
        (e) => e.name,
      ),
    create: (input) => rest.request('POST', '/v1/environments', {}, input),
  };
  return Object.freeze({
    environment,
    env: (name: string) => contextOf(shared, name),
    ...facades,
    Key,
    Environment,
    log: (query: LogQuery = {}) =>
      rest.request<LogPage>('GET', '/v1/log', {
        after: query.after,
        limit: query.limit,
        type: query.types?.join(','),
        entityType: query.entityType,
        entityId: query.entityId,
        environment: query.environment,
      }),
    evaluate: (input: object) => rest.request('POST', '/v1/evaluate', { environment }, input),
    close: (options?: { timeoutMs?: number }) => shared.closeHooks(options),
  }) as unknown as Management;
}
