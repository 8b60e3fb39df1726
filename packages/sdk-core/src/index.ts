// The main entry of @switchyard/sdk-core: the client runtime both SDKs share. Platform-free:
// every clock, socket, HTTP call, random source and storage comes in through `Platform`.
export { emitter, SwitchyardClient, SwitchyardError } from './client';
export type {
  BootstrapPayload,
  BootstrappedFlag,
  ClientEvents,
  ClientOptions,
  ContextClient,
  Emitter,
  EventOptions,
  Platform,
  SwitchyardErrorCode,
} from './client';
export { changedKeys, ConfigStore, withDependents } from './config';
export type { ChangedKeys, ConfigChangeEvent, ConfigSource, DeltaOutcome } from './config';
export { bindFlags, notReady, StickyAssignments } from './evaluation';
export type { BoundFlags, FlagDetails, FlagReads, ReadErrorCode } from './evaluation';
export {
  DeliveryError,
  eventQueue,
  eventSender,
  failureOfErrorCode,
  httpEventPoster,
  storageWriter,
} from './events';
export type {
  BatchSender,
  DeliveryFailure,
  EventBatch,
  EventQueue,
  EventQueueDeps,
  EventQueueSettings,
  EventPoster,
  StorageWriter,
} from './events';
export {
  ManualClock,
  MemoryConfigCache,
  MemoryEventQueueStorage,
  MemoryStickyAssignmentStorage,
  randomFraction,
} from './platform';
export type {
  Clock,
  ConfigCache,
  EventQueueStorage,
  FetchInitLike,
  FetchLike,
  FetchResponseLike,
  RandomBytes,
  SocketFactory,
  SocketHandlers,
  StickyAssignment,
  StickyAssignmentStorage,
  SyncSocket,
  TimerHandle,
} from './platform';
export { fromOpenFeatureContext, openFeatureBridge, openFeatureResolution } from './openfeature';
export type {
  OpenFeatureBridge,
  OpenFeatureErrorCode,
  OpenFeatureProviderOptions,
  OpenFeatureResolution,
  OpenFeatureSignals,
} from './openfeature';
export { endpointsFor, httpRequest, parseJson, retryAfterMs, schemaDecoder } from './protocol';
export type { Decoded, Decoder, Endpoints, EventsResponse, HttpResult } from './protocol';
export { backoffDelay, configPoller, syncClient } from './sync';
export type {
  BackoffOptions,
  ConfigPoller,
  Poller,
  PollerContext,
  RoutedMessage,
  SyncClient,
  Transport,
} from './sync';
