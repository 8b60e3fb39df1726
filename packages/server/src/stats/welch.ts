/**
 * Welch–Satterthwaite degrees of freedom of a difference of two means, from the variances of the
 * means (s²/n) and the unit counts: (vA + vB)² / (vA²/(nA - 1) + vB²/(nB - 1)), formed from the
 * shares vA/(vA + vB) so that huge or tiny variances neither overflow nor underflow.
 */
export function welchDegreesOfFreedom(
  varianceOfMeanA: number,
  unitsA: number,
  varianceOfMeanB: number,
  unitsB: number,
): number {
  const total = varianceOfMeanA + varianceOfMeanB;
  const shareA = varianceOfMeanA / total;
  const shareB = varianceOfMeanB / total;
  return 1 / ((shareA * shareA) / (unitsA - 1) + (shareB * shareB) / (unitsB - 1));
}
