import type { Condition } from '../../src/schema/condition';
import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '../../src/schema/config';

/** A boolean flag `on`/`off` serving `off` by default, with `overrides` applied. */
export function booleanFlag(key: string, overrides: Partial<FlagConfig> = {}): FlagConfig {
  return {
    key,
    salt: key,
    type: 'boolean',
    enabled: true,
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    rules: [],
    ...overrides,
  };
}

/** A running experiment with equally weighted variants `keys`, values the keys upper-cased. */
export function experiment(
  id: string,
  keys: string[],
  overrides: Partial<ExperimentConfig> = {},
): ExperimentConfig {
  return {
    id,
    salt: id,
    status: 'Running',
    variants: keys.map((key) => ({ key, weight: 1, value: key.toUpperCase() })),
    ...overrides,
  };
}

/** A snapshot holding these entities, keyed by flag key and experiment id. */
export function snapshotOf(
  parts: {
    flags?: FlagConfig[];
    experiments?: ExperimentConfig[];
    segments?: Record<string, Condition>;
  },
  version = 1,
): ConfigSnapshot {
  return {
    version,
    environment: 'test',
    flags: Object.fromEntries((parts.flags ?? []).map((f) => [f.key, f])),
    experiments: Object.fromEntries((parts.experiments ?? []).map((e) => [e.id, e])),
    segments: parts.segments ?? {},
  };
}

/** `count` contexts `{ userId: 'user-<i>' }`. */
export function users(count: number): { userId: string }[] {
  return Array.from({ length: count }, (_, i) => ({ userId: `user-${i}` }));
}
