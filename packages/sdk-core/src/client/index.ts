export type { BootstrapPayload, BootstrappedFlag } from './bootstrap-payload';
export type { ClientOptions, EventOptions, Platform } from './client-options';
export { emitter } from './emitter';
export type { Emitter } from './emitter';
export { SwitchyardClient } from './switchyard-client';
export type { ClientEvents, ContextClient } from './switchyard-client';
export { SwitchyardError } from './switchyard-error';
export type { SwitchyardErrorCode } from './switchyard-error';
