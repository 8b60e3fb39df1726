// The main entry of @switchyard/sdk-node: the Node client over @switchyard/sdk-core.
export { createClient, SDK_NAME } from './create-client';
export type { NodeClientOptions } from './create-client';
export { bootstrapPayload, readBootstrap, toScriptJson } from './bootstrap';
export type { BootstrapSource } from './bootstrap';
export { switchyard } from './express';
export type { RequestFlags, SwitchyardMiddlewareOptions } from './express';
export {
  FileConfigCache,
  FileEventQueueStorage,
  nodeClock,
  nodeRandom,
  writeFileAtomic,
  wsSocketFactory,
} from './platform';
export type { FileEventQueueOptions, WsSocketOptions } from './platform';
export { SwitchyardClient, SwitchyardError } from '@switchyard/sdk-core';
export type {
  BootstrapPayload,
  BoundFlags,
  ClientEvents,
  ConfigChangeEvent,
  ContextClient,
  FlagDetails,
  SwitchyardErrorCode,
} from '@switchyard/sdk-core';
export {
  apiErrorOf,
  ConflictError,
  createManagement,
  FACADES,
  ForbiddenError,
  NotFoundError,
  PAST,
  RefusedError,
  SwitchyardApiError,
  UnauthorizedError,
  ValidationError,
} from './management';
export type {
  ApiErrorCode,
  ApiIssue,
  ApiRequestInfo,
  BatchEvaluation,
  DomainEvent,
  EnvironmentApi,
  EvaluateOptions,
  Evaluation,
  ExperimentReads,
  FacadeHooks,
  FacadeName,
  FacadeVerbs,
  HookEntity,
  HookRegistrar,
  KeyApi,
  KeyCreateInput,
  LogPage,
  LogQuery,
  Management,
  ManagementFacade,
  ManagementOptions,
  RemoteHook,
  VerbRoute,
} from './management';
export { DEFAULT_HOOK_RETRY, defaultSubscriberName, RemoteHookError, RemoteHooks } from './hooks';
export type { HookRetryPolicy, RemoteHandler, RemoteHooksOptions } from './hooks';
