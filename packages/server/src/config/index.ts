export { compileFlag } from './compile-flag';
export { compileExperiment } from './compile-experiment';
export { buildConfigSnapshot } from './config-snapshot';
