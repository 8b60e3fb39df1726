export { assignExperiment } from './assign-experiment';
export { winnerRange } from './winner-range';
