export { backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
export { syncClient } from './sync-client';
export type { RoutedMessage, SyncClient, Transport } from './sync-client';
export { configPoller } from './config-poller';
export type { ConfigPoller, Poller, PollerContext } from './config-poller';
