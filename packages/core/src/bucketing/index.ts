export { position, positionPrefix, positionWithPrefix } from './position';
export type { BucketingPurpose } from './position';
export { inRollout, winnerFirstPosition } from './rollout';
export { chooseWeighted, cumulativeWeights, rangeStart } from './weighted-choice';
export { inLayerRange } from './layer';
export { unitOf } from './unit';
