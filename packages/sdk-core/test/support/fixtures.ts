import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '@switchyard/core';

/** A boolean flag, on for everyone when enabled. */
export function booleanFlag(
  key: string,
  enabled = true,
  extra: Partial<FlagConfig> = {},
): FlagConfig {
  return {
    key,
    salt: key,
    type: 'boolean',
    enabled,
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'on',
    offVariant: 'off',
    rules: [],
    ...extra,
  };
}

/** A running 50/50 experiment `id` with variants `control` and `treatment`. */
export function runningExperiment(
  id: string,
  extra: Partial<ExperimentConfig> = {},
): ExperimentConfig {
  return {
    id,
    salt: id,
    status: 'Running',
    variants: [
      { key: 'control', weight: 50 },
      { key: 'treatment', weight: 50 },
    ],
    ...extra,
  };
}

/** A string flag whose only rule delegates to experiment `experiment`. */
export function experimentFlag(key: string, experiment: string): FlagConfig {
  return {
    key,
    salt: key,
    type: 'string',
    enabled: true,
    variants: [
      { key: 'control', value: 'old' },
      { key: 'treatment', value: 'new' },
    ],
    defaultVariant: 'control',
    rules: [{ experiment }],
  };
}

/** A snapshot with a flag `banner`, an experiment `exp1` and a flag `checkout` delegating to it. */
export function sampleSnapshot(version = 1): ConfigSnapshot {
  return {
    version,
    environment: 'test',
    flags: {
      banner: booleanFlag('banner'),
      checkout: experimentFlag('checkout', 'exp1'),
    },
    experiments: { exp1: runningExperiment('exp1') },
    segments: {},
  };
}
