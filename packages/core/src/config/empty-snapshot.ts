import type { ConfigSnapshot } from '../schema/config';

/** The config of an environment before anything was created in it: version 0, no entities. */
export function emptySnapshot(environment: string): ConfigSnapshot {
  return { version: 0, environment, flags: {}, experiments: {}, segments: {} };
}
