export { bindFlags } from './bound-flags';
export type { BoundFlags } from './bound-flags';
export { notReady } from './flag-details';
export type { FlagDetails, ReadErrorCode } from './flag-details';
export type { FlagReads } from './flag-reads';
export { StickyAssignments } from './sticky-assignments';
