export { continuedFraction } from './continued-fraction';
export { erf, erfc } from './erfc';
export { logBeta, logGamma } from './log-gamma';
export { incompleteBeta } from './incomplete-beta';
export type { Tails } from './incomplete-beta';
export { chiSquareUpper, incompleteGamma } from './incomplete-gamma';
export { normalLower, normalPdf, normalTwoSided, normalUpper } from './normal';
export { normalQuantile, normalUpperQuantile } from './inverse-normal';
export {
  studentTLower,
  studentTPdf,
  studentTTwoSided,
  studentTUpper,
  studentTUpperQuantile,
} from './student-t';
export { gaussLegendre, integrate } from './quadrature';
export type { GaussLegendreRule } from './quadrature';
