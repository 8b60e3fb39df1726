// @switchyard/sdk-browser/polling: the HTTP fallback, opt-in so that pages whose socket always
// connects do not carry it: `createClient({ url, key, platform: httpFallback })` polls
// `GET /v1/config` (with its ETag) and sends events by `POST /v1/events` while the WebSocket
// cannot connect (config always by polling with `transport: 'polling'`). Without it, config
// comes over the socket (and from bootstrap and cache), and events wait for the socket or go
// by unload beacon.
import { configPoller, httpEventPoster } from '@switchyard/sdk-core';
import type { Platform } from '@switchyard/sdk-core';

/** The platform parts of the HTTP fallback, for `createClient`'s `platform`. */
export const httpFallback: Partial<Platform> = {
  poller: configPoller,
  eventPoster: httpEventPoster,
};

export { configPoller, httpEventPoster };
export type { ConfigPoller, EventPoster } from '@switchyard/sdk-core';
