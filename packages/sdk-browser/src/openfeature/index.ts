// @switchyard/sdk-browser/openfeature: an OpenFeature web provider (needs @openfeature/web-sdk).
export { SwitchyardWebProvider } from './switchyard-web-provider';
export type { SwitchyardWebProviderOptions } from './switchyard-web-provider';
