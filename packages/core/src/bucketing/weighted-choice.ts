/**
 * Cumulative normalized weights: entry i is `(w[0] + … + w[i]) / total`, and the last entry is
 * exactly 1 so that rounding never leaves a gap at the top.
 */
export function cumulativeWeights(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const out = weights.map((w) => (sum += w) / total);
  if (out.length) out[out.length - 1] = 1;
  return out;
}

/** The index of the first cumulative weight above `position` (in [0, 1)). */
export function chooseWeighted(cumulative: readonly number[], position: number): number {
  const index = cumulative.findIndex((c) => position < c);
  return index < 0 ? cumulative.length - 1 : index;
}

/** Where each choice's range starts: 0, then the cumulative weight before it. */
export function rangeStart(cumulative: readonly number[], index: number): number {
  return index === 0 ? 0 : (cumulative[index - 1] ?? 1);
}
