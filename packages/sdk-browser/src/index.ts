// The main entry of @switchyard/sdk-browser: the browser client over @switchyard/sdk-core.
// Kept small on purpose: no zod and no React in its import graph (see bench/size).
export { BrowserClient } from './browser-client';
export { createClient, SDK_NAME } from './create-client';
export type { BrowserClientOptions } from './create-client';
export { beaconEvents, BEACON_MAX_BYTES } from './page';
export type { BeaconOptions } from './page';
export { browserSocket, idbConfigCache, idbEventQueueStorage, shapeDecoder } from './platform';
export { SwitchyardError } from '@switchyard/sdk-core';
export type {
  BootstrapPayload,
  BoundFlags,
  ClientEvents,
  ConfigChangeEvent,
  ContextClient,
  FlagDetails,
  SwitchyardErrorCode,
} from '@switchyard/sdk-core';
export type { EvaluationContext, JsonValue } from '@switchyard/core';
