import type { FlagDetails } from '@switchyard/sdk-core';
import { ErrorCode } from '@openfeature/server-sdk';
import type {
  EvaluationContext as OpenFeatureContext,
  ResolutionDetails,
} from '@openfeature/server-sdk';
import type { EvaluationContext } from '@switchyard/core';

/** Our error codes in OpenFeature's words (config problems are its PARSE_ERROR). */
const ERROR_CODES: Record<NonNullable<FlagDetails<unknown>['errorCode']>, ErrorCode> = {
  PROVIDER_NOT_READY: ErrorCode.PROVIDER_NOT_READY,
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  TYPE_MISMATCH: ErrorCode.TYPE_MISMATCH,
  PARSE_ERROR: ErrorCode.PARSE_ERROR,
  TARGETING_KEY_MISSING: ErrorCode.TARGETING_KEY_MISSING,
  INVALID_CONFIG: ErrorCode.PARSE_ERROR,
  PREREQUISITE_CYCLE: ErrorCode.PARSE_ERROR,
  PREREQUISITE_FAILED: ErrorCode.GENERAL,
  GENERAL: ErrorCode.GENERAL,
};

/**
 * Our evaluation as an OpenFeature resolution. Reasons share OpenFeature's names. An error code
 * goes to OpenFeature only with reason ERROR: OpenFeature serves the caller's default whenever
 * a code is present, while e.g. a failed prerequisite legitimately serves the off variant; such
 * a code travels in `flagMetadata.switchyardCode` instead.
 */
export function toResolution<T>(details: FlagDetails<T>): ResolutionDetails<T> {
  const resolution: ResolutionDetails<T> = { value: details.value, reason: details.reason };
  if (details.variant !== undefined) resolution.variant = details.variant;
  const metadata: Record<string, string | number | boolean> = {};
  if (details.experiment !== undefined) metadata.experiment = details.experiment;
  if (details.ruleIndex !== undefined) metadata.ruleIndex = details.ruleIndex;
  if (details.errorCode !== undefined) {
    if (details.reason === 'ERROR')
      resolution.errorCode = ERROR_CODES[details.errorCode] ?? ErrorCode.GENERAL;
    else metadata.switchyardCode = details.errorCode;
  }
  if (details.errorMessage !== undefined) resolution.errorMessage = details.errorMessage;
  if (Object.keys(metadata).length > 0) resolution.flagMetadata = metadata;
  return resolution;
}

/**
 * An OpenFeature context as ours: the same attributes, with `targetingKey` also given as the
 * unit attribute (default `userId`) unless the context sets that attribute itself.
 */
export function toContext(context: OpenFeatureContext, unitAttribute: string): EvaluationContext {
  const { targetingKey, ...rest } = context;
  if (targetingKey === undefined) return rest;
  if (rest[unitAttribute] !== undefined) return { ...rest, targetingKey };
  return { ...rest, targetingKey, [unitAttribute]: targetingKey };
}
