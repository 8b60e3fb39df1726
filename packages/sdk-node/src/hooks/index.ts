export { RemoteHooks } from './remote-hooks';
export type { RemoteHandler, RemoteHooksOptions } from './remote-hooks';
export { DEFAULT_HOOK_RETRY, RemoteHookError } from './hook-retry';
export type { HookRetryPolicy } from './hook-retry';
export { defaultSubscriberName } from './subscriber-name';
