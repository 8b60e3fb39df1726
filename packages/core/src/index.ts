// The main entry of @switchyard/core: pure evaluation, no I/O, no platform globals, and no
// zod at run time (schemas live behind '@switchyard/core/schema').
export { hash, hashPrefix, hashWithPrefix, utf8Bytes } from './hash';
export type { HashState } from './hash';
export {
  chooseWeighted,
  cumulativeWeights,
  inLayerRange,
  inRollout,
  position,
  positionPrefix,
  positionWithPrefix,
  rangeStart,
  unitOf,
  winnerFirstPosition,
} from './bucketing';
export type { BucketingPurpose } from './bucketing';
export {
  compareVersions,
  compileCondition,
  evalCondition,
  MAX_CONDITION_DEPTH,
  MAX_SEGMENT_CHAIN,
  parseVersion,
} from './conditions';
export type { CompiledCondition, ParsedVersion } from './conditions';
export { evaluateFlag, matchesFlagType } from './flags';
export type { Widen } from './flags';
export { assignExperiment, winnerRange } from './experiments';
export { applyDelta, clientView, emptySnapshot } from './config';
export type { ConfigDelta } from './config';
export { DEFAULT_DEDUPER_CAPACITY, ExposureDeduper, isUuidV7, uuidv7, uuidv7Time } from './events';
export {
  CloseCodes,
  DEFAULT_UNIT,
  EXPOSURE_EVENT,
  FLAG_EXPOSURE_EVENT,
  MAX_BATCH_EVENTS,
} from './constants';
export type {
  AssignmentReason,
  EvaluationContext,
  EvaluationErrorCode,
  EvaluationReason,
  ExperimentAssignment,
  FlagEvaluation,
} from './types';
export type { Condition, JsonValue } from './schema/condition';
export type {
  ConfigChange,
  ConfigSnapshot,
  ExperimentConfig,
  ExperimentStatus,
  ExperimentVariant,
  FlagConfig,
  FlagRule,
  FlagType,
  FlagVariant,
  LayerRange,
  Prerequisite,
  WeightedVariant,
  WinnerOrder,
} from './schema/config';
