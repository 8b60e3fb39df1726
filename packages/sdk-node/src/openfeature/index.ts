// @switchyard/sdk-node/openfeature: an OpenFeature server provider (needs @openfeature/server-sdk).
export { SwitchyardProvider } from './switchyard-provider';
export type { SwitchyardProviderOptions } from './switchyard-provider';
