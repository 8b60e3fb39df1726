/** Pearson's chi-square statistic of observed against expected counts. */
export function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  let sum = 0;
  observed.forEach((o, i) => {
    const e = expected[i]!;
    sum += ((o - e) * (o - e)) / e;
  });
  return sum;
}

/** Critical values of the chi-square distribution at p = 0.001, by degrees of freedom (index). */
export const CHI_SQUARE_CRITICAL_001: readonly number[] = [
  Number.NaN,
  10.828,
  13.816,
  16.266,
  18.467,
  20.515,
  22.458,
];
