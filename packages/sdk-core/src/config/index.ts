export { ConfigStore } from './config-store';
export type { ConfigChangeEvent, ConfigSource, DeltaOutcome } from './config-store';
export type { ChangedKeys } from './changed-keys';
