import type { ClientOptions, Platform } from '@switchyard/sdk-core';
import { BrowserClient } from './browser-client';
import {
  browserClock,
  browserFetch,
  browserRandom,
  browserSocket,
} from './platform/browser-globals';
import { idbConfigCache } from './platform/idb-config-cache';
import { idbEventQueueStorage } from './platform/idb-event-queue-storage';
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
  /**
   * Replaces or adds parts of the browser platform: tests, custom storage, sdk-core's
   * `schemaDecoder`, or the HTTP fallback (`httpFallback`, from `@switchyard/sdk-browser/polling`).
   */
  platform?: Partial<Platform>;
}

/**
 * Creates a Switchyard client for browsers: WebSocket sync, local evaluation, and an event
 * queue. Offline first: it starts from `bootstrap` (a snapshot, or the payload sdk-node's
 * `bootstrapPayload` renders), then from the config cached in IndexedDB, before the socket
 * opens; events wait in IndexedDB while offline. Safe to call during server-side rendering (no
 * IndexedDB, no page: memory only). Throws (misuse) without `url` and `key` unless `offline` is
 * set.
 */
export function createClient(options: BrowserClientOptions): BrowserClient {
  const { persist = typeof indexedDB !== 'undefined', beacon, platform, ...rest } = options;
  const key = options.key ?? '';
  return new BrowserClient(
    { sdk: SDK_NAME, ...rest },
    {
      clock: browserClock,
      random: browserRandom,
      decoder: shapeDecoder,
      socket: typeof WebSocket === 'undefined' ? undefined : browserSocket,
      fetch: typeof fetch === 'undefined' ? undefined : browserFetch,
      ...(persist && { configCache: idbConfigCache(key), eventStorage: idbEventQueueStorage(key) }),
      ...platform,
    },
    beacon !== false,
  );
}
