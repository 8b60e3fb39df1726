export { evaluateFlag } from './evaluate-flag';
export type { Widen } from './evaluate-flag';
export { matchesFlagType } from './flag-type';
