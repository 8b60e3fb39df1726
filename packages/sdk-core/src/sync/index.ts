export { Backoff } from './backoff';
export type { BackoffOptions } from './backoff';
export { ConfigPoller } from './config-poller';
export type { ConfigPollerOptions } from './config-poller';
export { SyncClient } from './sync-client';
export type { RoutedMessage, SyncClientOptions, Transport } from './sync-client';
