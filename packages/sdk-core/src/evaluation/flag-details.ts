import type { EvaluationErrorCode, FlagEvaluation } from '@switchyard/core';

/**
 * Error codes of a read: core's, plus `PROVIDER_NOT_READY` for a read made before the client
 * has any config (OpenFeature's name for it).
 */
export type ReadErrorCode = EvaluationErrorCode | 'PROVIDER_NOT_READY';

/** The outcome of one flag read: core's `FlagEvaluation`, with `PROVIDER_NOT_READY` possible. */
export type FlagDetails<T> = Omit<FlagEvaluation<T>, 'errorCode'> & { errorCode?: ReadErrorCode };

/** The caller's default, because no config is there yet. */
export function notReady<T>(defaultValue: T): FlagDetails<T> {
  return {
    value: defaultValue,
    reason: 'ERROR',
    inExperiment: false,
    errorCode: 'PROVIDER_NOT_READY',
    errorMessage: 'no config yet',
  };
}
