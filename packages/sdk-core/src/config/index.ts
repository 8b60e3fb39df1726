export { ConfigStore } from './config-store';
export type { ConfigChangeEvent, ConfigSource, DeltaOutcome } from './config-store';
export { changedKeys, withDependents } from './changed-keys';
export type { ChangedKeys } from './changed-keys';
