// @switchyard/sdk-browser/polling: the HTTP config fallback, opt-in so that pages whose socket
// always connects do not carry it:
// `createClient({ url, key, platform: { poller: configPoller } })` polls `GET /v1/config` (with
// its ETag) while the WebSocket cannot connect, or always with `transport: 'polling'`.
export { configPoller } from '@switchyard/sdk-core';
export type { ConfigPoller } from '@switchyard/sdk-core';
