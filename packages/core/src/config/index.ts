export { applyDelta } from './apply-delta';
export type { ConfigDelta } from './apply-delta';
export { clientView } from './client-view';
export { emptySnapshot } from './empty-snapshot';
