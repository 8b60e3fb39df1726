export { fromOpenFeatureContext, openFeatureResolution } from './resolution';
export type { OpenFeatureErrorCode, OpenFeatureResolution } from './resolution';
