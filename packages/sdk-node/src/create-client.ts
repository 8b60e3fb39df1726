import {
  configPoller,
  httpEventPoster,
  schemaDecoder,
  StickyAssignments,
  SwitchyardClient,
  SwitchyardError,
} from '@switchyard/sdk-core';
import type { ClientOptions, ConfigCache, EventQueueStorage, Platform } from '@switchyard/sdk-core';
import packageJson from '../package.json' with { type: 'json' };
import { readBootstrap } from './bootstrap/read-bootstrap';
import type { BootstrapSource } from './bootstrap/read-bootstrap';
import { FileConfigCache } from './platform/file-config-cache';
import { FileEventQueueStorage } from './platform/file-event-queue-storage';
import { nodeClock } from './platform/node-clock';
import { nodeRandom } from './platform/node-random';
import { wsSocketFactory } from './platform/ws-socket';

/** Options of `createClient`: sdk-core's, with Node's ways to give files and environment. */
export interface NodeClientOptions extends Omit<ClientOptions, 'bootstrap' | 'stickyAssignments'> {
  /** The server's base URL (default: env `SWITCHYARD_URL`). */
  url?: string;
  /** A server key (default: env `SWITCHYARD_KEY`). */
  key?: string;
  /** A config to start with: a snapshot, a bootstrap payload, or `{ file }` holding one. */
  bootstrap?: BootstrapSource;
  /** Keep the last good config: `{ file }` (written atomically) or any `ConfigCache`. */
  configCache?: { file: string } | ConfigCache;
  /** Keep unsent events across crashes: `{ file }` (a JSON Lines log) or any `EventQueueStorage`. */
  eventQueue?: { file: string } | EventQueueStorage;
  /** Replaces parts of the Node platform (tests, proxies). */
  platform?: Partial<Platform>;
  /**
   * Sticky assignments (default off): `true` keeps them in memory, or pass a
   * `StickyAssignments` with its own storage.
   */
  stickyAssignments?: boolean | StickyAssignments;
}

/** The `sdk` string sent in hello. */
export const SDK_NAME = `sdk-node/${packageJson.version}`;

/**
 * Creates a Switchyard client for Node: WebSocket sync with `ws`, HTTP with the global `fetch`,
 * real timers and Web Crypto randomness, optional files for bootstrap, config cache and event
 * queue. `url` and `key` default to `SWITCHYARD_URL` and `SWITCHYARD_KEY`. Throws (misuse) when
 * neither is set and `offline` is not; a bad bootstrap file is reported through `onError`.
 */
export function createClient(options: NodeClientOptions = {}): SwitchyardClient {
  const { bootstrap, configCache, eventQueue, platform, stickyAssignments, ...rest } = options;
  const pending: SwitchyardError[] = [];
  const clientOptions: ClientOptions = {
    sdk: SDK_NAME,
    ...rest,
    url: options.url ?? process.env.SWITCHYARD_URL,
    key: options.key ?? process.env.SWITCHYARD_KEY,
    stickyAssignments:
      stickyAssignments === true ? new StickyAssignments() : stickyAssignments || undefined,
  };
  if (bootstrap !== undefined) {
    const read = readBootstrap(bootstrap);
    if ('value' in read) clientOptions.bootstrap = read.value;
    else
      pending.push(
        new SwitchyardError(
          'STORAGE',
          `could not read the bootstrap file: ${read.error.message}`,
          read.error,
        ),
      );
  }
  const client = new SwitchyardClient(clientOptions, {
    clock: nodeClock,
    random: nodeRandom,
    decoder: schemaDecoder,
    socket: wsSocketFactory(),
    fetch: (url, init) => fetch(url, init),
    poller: configPoller,
    eventPoster: httpEventPoster,
    ...(configCache
      ? { configCache: 'file' in configCache ? new FileConfigCache(configCache.file) : configCache }
      : {}),
    ...(eventQueue
      ? {
          eventStorage:
            'file' in eventQueue ? new FileEventQueueStorage(eventQueue.file) : eventQueue,
        }
      : {}),
    ...platform,
  });
  for (const error of pending) options.onError?.(error);
  return client;
}
