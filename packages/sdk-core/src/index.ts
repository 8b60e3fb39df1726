// The main entry of @switchyard/sdk-core: the client runtime both SDKs share. Platform-free:
// every clock, socket, HTTP call, random source and storage comes in through `Platform`.
export { eventSender, Listeners, ReadySignal, SwitchyardClient, SwitchyardError } from './client';
export type {
  BootstrapPayload,
  BootstrappedFlag,
  ClientEvents,
  ClientOptions,
  ContextClient,
  EventOptions,
  EventSenderOptions,
  Platform,
  SwitchyardErrorCode,
} from './client';
export { ConfigStore } from './config';
export type { ChangedKeys, ConfigChangeEvent, ConfigSource, DeltaOutcome } from './config';
export {
  bindFlags,
  ExposureLogger,
  FlagEvaluator,
  notReady,
  StickyAssignments,
} from './evaluation';
export type { BoundFlags, Exposure, FlagDetails, FlagReads, ReadErrorCode } from './evaluation';
export {
  DeliveryError,
  EventQueue,
  failureOfErrorCode,
  httpBatchSender,
  socketBatchSender,
} from './events';
export type {
  BatchSender,
  DeliveryFailure,
  EventBatch,
  EventQueueDeps,
  EventQueueSettings,
  HttpBatchSenderOptions,
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
export { fromOpenFeatureContext, openFeatureResolution } from './openfeature';
export type { OpenFeatureErrorCode, OpenFeatureResolution } from './openfeature';
export { endpointsFor, httpRequest, parseJson, retryAfterMs, schemaDecoder } from './protocol';
export type { Decoded, Decoder, Endpoints, EventsResponse, HttpResult } from './protocol';
export { Backoff, ConfigPoller, SyncClient } from './sync';
export type {
  BackoffOptions,
  ConfigPollerOptions,
  RoutedMessage,
  SyncClientOptions,
  Transport,
} from './sync';
