/**
 * Cumulative normalized weights: entry i is `(w[0] + … + w[i]) / total`, and the last entry is
 * exactly 1 so that rounding never leaves a gap at the top.
 */
export function cumulativeWeights(weights: readonly number[]): number[] {
  let total = 0;
  for (const w of weights) total += w;
  const out: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    out.push(sum / total);
  }
  if (out.length > 0) out[out.length - 1] = 1;
  return out;
}

/** The index of the first cumulative weight above `position` (in [0, 1)). */
export function chooseWeighted(cumulative: readonly number[], position: number): number {
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (position < cumulative[i]!) return i;
  return last;
}

/** Where each choice's range starts: 0, then the cumulative weight before it. */
export function rangeStart(cumulative: readonly number[], index: number): number {
  return index === 0 ? 0 : (cumulative[index - 1] ?? 1);
}
