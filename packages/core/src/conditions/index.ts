export { evalCondition, compileCondition } from './eval-condition';
export type { CompiledCondition } from './eval-condition';
export { compareVersions, parseVersion } from './version-compare';
export type { ParsedVersion } from './version-compare';
export { MAX_CONDITION_DEPTH, MAX_SEGMENT_CHAIN } from './compile-condition';
