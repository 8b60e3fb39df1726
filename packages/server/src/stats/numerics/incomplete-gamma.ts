import { continuedFraction } from './continued-fraction';
import type { Tails } from './incomplete-beta';
import { logGamma } from './log-gamma';

/**
 * The regularized incomplete gamma functions P(a, x) (`lower`) and Q(a, x) = 1 - P(a, x)
 * (`upper`), the smaller one computed directly so that tails keep their relative accuracy.
 *
 * x < a + 1: P = e⁻ˣ xᵃ / Γ(a) · Σ xⁿ / (a (a + 1) ··· (a + n)), all terms positive.
 * x ≥ a + 1: Q = e⁻ˣ xᵃ / Γ(a) · 1 / (x + 1 - a - 1(1 - a) / (x + 3 - a - 2(2 - a) / (x + 5 - a - ...))).
 */
export function incompleteGamma(a: number, x: number): Tails {
  if (Number.isNaN(x) || !(a > 0)) return { lower: Number.NaN, upper: Number.NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x === Number.POSITIVE_INFINITY) return { lower: 1, upper: 0 };
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term <= Number.EPSILON * sum) break;
    }
    const lower = front * sum;
    return { lower, upper: 1 - lower };
  }
  const upper =
    front /
    continuedFraction(
      x + 1 - a,
      (n) => -n * (n - a),
      (n) => x + 1 - a + 2 * n,
    );
  return { lower: 1 - upper, upper };
}

/** Upper tail of the chi-square distribution with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquareUpper(x: number, df: number): number {
  return incompleteGamma(df / 2, x / 2).upper;
}
