export { createRemoteHookDelivery } from './remote-hook-delivery';
export type { RemoteHookDelivery, RemoteHookDeliveryOptions } from './remote-hook-delivery';
export { domainMessage } from './hook-subscription';
export { remoteHookCursor } from './subscriber';
export type { HookSubscriber } from './subscriber';
