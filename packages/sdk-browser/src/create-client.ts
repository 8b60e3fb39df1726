import type { ClientOptions, Platform } from '@switchyard/sdk-core';
import { BrowserClient } from './browser-client';
import {
  browserClock,
  browserFetch,
  browserRandom,
  browserSocket,
} from './platform/browser-globals';
import { IdbConfigCache } from './platform/idb-config-cache';
import { IdbEventQueueStorage } from './platform/idb-event-queue-storage';
import { shapeDecoder } from './platform/shape-decoder';

/** The `sdk` string sent in hello. */
export const SDK_NAME = 'sdk-browser/0.1.0';

/** Options of `createClient`: sdk-core's, plus the browser's switches. */
export interface BrowserClientOptions extends ClientOptions {
  /**
   * Keep the last config and unsent events in IndexedDB (default: on where IndexedDB exists).
   * Off, they live in memory only.
   */
  persist?: boolean;
  /** Send unsent events with `navigator.sendBeacon` when the page is hidden or left (default on). */
  beacon?: boolean;
  /** Replaces parts of the browser platform (tests, custom storage, `schemaDecoder`). */
  platform?: Partial<Platform>;
}

/**
 * Creates a Switchyard client for browsers: WebSocket sync with HTTP polling (ETag) while the
 * socket cannot connect, local evaluation, and an event queue. Offline first: it starts from
 * `bootstrap` (a snapshot, or the payload sdk-node's `bootstrapPayload` renders), then from the
 * config cached in IndexedDB, before the socket opens; events wait in IndexedDB while offline.
 * Safe to call during server-side rendering (no IndexedDB, no page: memory only). Throws
 * (misuse) without `url` and `key` unless `offline` is set.
 */
export function createClient(options: BrowserClientOptions): BrowserClient {
  const { persist, beacon, platform, ...clientOptions } = options;
  const namespace = options.key ?? '';
  const stored = persist ?? typeof indexedDB !== 'undefined';
  return new BrowserClient(
    { sdk: SDK_NAME, ...clientOptions },
    {
      clock: browserClock,
      random: browserRandom,
      decoder: shapeDecoder,
      ...(typeof WebSocket !== 'undefined' ? { socket: browserSocket } : {}),
      ...(typeof fetch !== 'undefined' ? { fetch: browserFetch } : {}),
      ...(stored
        ? {
            configCache: new IdbConfigCache(namespace),
            eventStorage: new IdbEventQueueStorage(namespace),
          }
        : {}),
      ...platform,
    },
    beacon !== false,
  );
}
