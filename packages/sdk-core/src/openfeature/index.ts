export { openFeatureBridge } from './provider-bridge';
export type {
  OpenFeatureBridge,
  OpenFeatureProviderOptions,
  OpenFeatureSignals,
} from './provider-bridge';
export { fromOpenFeatureContext, openFeatureResolution } from './resolution';
export type { OpenFeatureErrorCode, OpenFeatureResolution } from './resolution';
