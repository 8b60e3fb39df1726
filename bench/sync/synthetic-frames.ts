import type { FlagConfig } from '@switchyard/core';
import { ServerMessageSchema } from '@switchyard/core/schema';
import type { FloorFrames } from './floor-target';

const FLAGS = 10;

function flag(i: number, percent: number): FlagConfig {
  return {
    key: `bench-flag-${i}`,
    salt: `bench-flag-${i}`,
    type: 'boolean',
    enabled: true,
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    rules: [{ rollout: percent, variant: 'on' }],
  };
}

/** Percent of change `i`: it differs from the one before, so every change is a real change. */
export function changePercent(i: number): number {
  return 10 + (i % 80);
}

/**
 * Frames for the floor when ours cannot supply captured ones: a snapshot of ten boolean flags,
 * then deltas that each change the rollout of the first flag, as our server would send them.
 * Every frame is checked against core's server-message schema.
 */
export function syntheticFrames(changes: number): FloorFrames {
  const version = 1;
  const flags = Object.fromEntries(
    Array.from({ length: FLAGS }, (_, i) => [`bench-flag-${i}`, flag(i, 0)]),
  );
  const snapshot = {
    type: 'snapshot',
    version,
    environment: 'development',
    flags,
    experiments: {},
    segments: {},
  };
  const deltas = Array.from({ length: changes }, (_, i) => ({
    type: 'delta',
    from: version + i,
    to: version + i + 1,
    changes: [{ kind: 'flag', key: 'bench-flag-0', value: flag(0, changePercent(i)) }],
  }));
  for (const message of [snapshot, ...deltas]) ServerMessageSchema.parse(message);
  return {
    snapshot: JSON.stringify(snapshot),
    deltas: deltas.map((d) => JSON.stringify(d)),
    origin: 'synthetic (ours supplied none)',
  };
}
