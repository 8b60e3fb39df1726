import type { JsonValue } from './schema/condition';

/** The attributes a flag is evaluated against: `{ userId: 'u1', country: 'DE', ... }`. */
export type EvaluationContext = Readonly<Record<string, unknown>>;

/** Why a flag served its value, in OpenFeature's vocabulary. */
export type EvaluationReason = 'DISABLED' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'ERROR';

/** What went wrong when `reason` is `ERROR` (or a prerequisite failed), in OpenFeature's vocabulary where it has one. */
export type EvaluationErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'PARSE_ERROR'
  | 'TARGETING_KEY_MISSING'
  | 'PREREQUISITE_CYCLE'
  | 'PREREQUISITE_FAILED'
  | 'INVALID_CONFIG'
  | 'GENERAL';

/** The outcome of one flag read. A read never throws: failures come back as `reason: 'ERROR'`. */
export interface FlagEvaluation<T = JsonValue> {
  value: T;
  /** Key of the served variant; absent when the caller's default was returned. */
  variant?: string;
  reason: EvaluationReason;
  /** Index of the rule that decided, when one did. */
  ruleIndex?: number;
  /** The experiment that assigned the variant, when a rule delegated to one. */
  experiment?: string;
  /** True when the unit was assigned by a running experiment (and so should log an exposure). */
  inExperiment: boolean;
  errorCode?: EvaluationErrorCode;
  errorMessage?: string;
}

/** Why an experiment did or did not assign a unit. */
export type AssignmentReason =
  | 'ASSIGNED'
  | 'WINNER'
  | 'NOT_FOUND'
  | 'NOT_RUNNING'
  | 'NO_UNIT'
  | 'AUDIENCE_MISMATCH'
  | 'LAYER_MISMATCH'
  | 'TRAFFIC_EXCLUDED';

/** The outcome of assigning a unit to an experiment. */
export interface ExperimentAssignment {
  /** The variant key, or null when the unit is not in the experiment. */
  variant: string | null;
  /** The variant's value, when it has one. */
  value?: JsonValue;
  reason: AssignmentReason;
  /** True only for `ASSIGNED`: the unit is part of the running experiment (log an exposure). */
  inExperiment: boolean;
  /** The bucketed unit value (the context attribute), when there was one. */
  unit?: string;
}
