import type { EvaluationContext } from '@switchyard/core';
import type { FlagDetails, ReadErrorCode } from '../evaluation/flag-details';

/** OpenFeature's error codes: the values of its `ErrorCode` enum, in its server and web SDKs. */
export type OpenFeatureErrorCode =
  | 'PROVIDER_NOT_READY'
  | 'PROVIDER_FATAL'
  | 'FLAG_NOT_FOUND'
  | 'PARSE_ERROR'
  | 'TYPE_MISMATCH'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'GENERAL';

/** OpenFeature's `ResolutionDetails`, with no import of either OpenFeature SDK. */
export interface OpenFeatureResolution<T> {
  value: T;
  reason?: string;
  variant?: string;
  errorCode?: OpenFeatureErrorCode;
  errorMessage?: string;
  flagMetadata?: Record<string, string | number | boolean>;
}

/** Our error codes in OpenFeature's words (config problems are its PARSE_ERROR). */
const ERROR_CODES: Record<ReadErrorCode, OpenFeatureErrorCode> = {
  PROVIDER_NOT_READY: 'PROVIDER_NOT_READY',
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  PARSE_ERROR: 'PARSE_ERROR',
  TARGETING_KEY_MISSING: 'TARGETING_KEY_MISSING',
  INVALID_CONFIG: 'PARSE_ERROR',
  PREREQUISITE_CYCLE: 'PARSE_ERROR',
  PREREQUISITE_FAILED: 'GENERAL',
  GENERAL: 'GENERAL',
};

/**
 * A read's details as an OpenFeature resolution, for the OpenFeature providers of both SDKs.
 * Reasons share OpenFeature's names. An error code goes to OpenFeature only with reason ERROR:
 * OpenFeature serves the caller's default whenever a code is present, while e.g. a failed
 * prerequisite legitimately serves the off variant; such a code travels in
 * `flagMetadata.switchyardCode` instead.
 */
export function openFeatureResolution<T>(details: FlagDetails<T>): OpenFeatureResolution<T> {
  const resolution: OpenFeatureResolution<T> = { value: details.value, reason: details.reason };
  if (details.variant !== undefined) resolution.variant = details.variant;
  const metadata: Record<string, string | number | boolean> = {};
  if (details.experiment !== undefined) metadata.experiment = details.experiment;
  if (details.ruleIndex !== undefined) metadata.ruleIndex = details.ruleIndex;
  if (details.errorCode !== undefined) {
    if (details.reason === 'ERROR')
      resolution.errorCode = ERROR_CODES[details.errorCode] ?? 'GENERAL';
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
export function fromOpenFeatureContext(
  context: Readonly<Record<string, unknown>>,
  unitAttribute: string,
): EvaluationContext {
  const { targetingKey, ...rest } = context;
  if (targetingKey === undefined) return rest;
  if (rest[unitAttribute] !== undefined) return { ...rest, targetingKey };
  return { ...rest, targetingKey, [unitAttribute]: targetingKey };
}
