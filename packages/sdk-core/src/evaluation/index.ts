export { bindFlags } from './bound-flags';
export type { BoundFlags } from './bound-flags';
export { ExposureLogger } from './exposure-logger';
export type { Exposure, FlagExposure } from './exposure-logger';
export { notReady } from './flag-details';
export type { FlagDetails, ReadErrorCode } from './flag-details';
export { FlagEvaluator } from './flag-evaluator';
export type { FlagReads } from './flag-evaluator';
export { StickyAssignments } from './sticky-assignments';
