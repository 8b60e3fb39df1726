/** Order statistics of a sample: the figures every benchmark table shows. */
export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of an ascending sample, interpolating linearly between the two
 * nearest ranks (the "type 7" definition of most statistics packages). NaN for an empty sample.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(rank);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** p50, p99, max and mean of `values` (in any order; the input is not modified). */
export function summarize(values: readonly number[]): Summary {
  // A typed array sorts numerically, not as strings.
  const list = Array.from(Float64Array.from(values).sort());
  let total = 0;
  for (const v of list) total += v;
  return {
    count: list.length,
    p50: quantile(list, 0.5),
    p99: quantile(list, 0.99),
    max: list.length > 0 ? list[list.length - 1]! : NaN,
    mean: list.length > 0 ? total / list.length : NaN,
  };
}
