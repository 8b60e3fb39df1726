const INV_SQRT_PI = 0.5641895835477563; // 1 / sqrt(pi)

/** Beyond this erfc(x) is below the smallest double. */
const UNDERFLOW = 27.3;

/**
 * Complementary error function erfc(x) = 1 - erf(x), with full relative accuracy in the
 * upper tail (about 1e-15 down to the smallest double, erfc(26.5) ≈ 5e-307).
 *
 * |x| < 0.5: 1 - erf(x) from the Maclaurin series (erfc ≥ 0.47 there, nothing cancels).
 * x ≥ 0.5: Laplace's continued fraction
 *   erfc(x) = exp(-x²) / sqrt(pi) · 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))),
 * summed backwards from a depth of 20 + 250/x² terms (converged to below 1e-16 for x ≥ 0.5;
 * the backward sum keeps the rounding error near 4e-16 where forward Lentz reached 4e-15).
 * x < 0: 2 - erfc(-x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.5) return 1 - erfSeries(x);
  if (x > UNDERFLOW) return 0;
  let fraction = x;
  for (let n = Math.ceil(20 + 250 / (x * x)); n >= 1; n--) fraction = x + n / 2 / fraction;
  return (expNegSquare(x) * INV_SQRT_PI) / fraction;
}

/** Error function erf(x) = 2/sqrt(pi) ∫₀ˣ exp(-t²) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) < 0.5) return erfSeries(x);
  return x > 0 ? 1 - erfc(x) : erfc(-x) - 1;
}

/** erf(x) = 2x/sqrt(pi) · Σ (-x²)ⁿ / (n! (2n + 1)); for |x| < 0.5 a dozen terms suffice. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1; // (-x²)ⁿ / n!
  let sum = 1;
  for (let n = 1; n < 60; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) <= Number.EPSILON * Math.abs(sum)) break;
  }
  return 2 * x * INV_SQRT_PI * sum;
}

/**
 * exp(-x²) without the rounding error of x² (which exp would magnify x² times): split x
 * into a head with few bits, whose square is exact, and the rest.
 */
export function expNegSquare(x: number): number {
  const head = Math.trunc(x * 16) / 16;
  const rest = (x - head) * (x + head);
  return Math.exp(-head * head) * Math.exp(-rest);
}
