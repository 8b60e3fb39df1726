export { compileFlag } from './compile-flag';
export { compileExperiment } from './compile-experiment';
export {
  assembleConfigSnapshot,
  buildConfigSnapshot,
  CONFIG_ENTITY_TYPES,
} from './config-snapshot';
export type { ConfigCompilers, ConfigStates } from './config-snapshot';
