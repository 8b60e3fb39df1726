import { erf } from './erfc';
import { normalLower, normalPdf } from './normal';

// Acklam's rational approximations to the normal quantile (relative error below 1.2e-9),
// refined below by one Halley step against the erfc-based CDF.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Evaluates c[0] xⁿ + c[1] xⁿ⁻¹ + ... + c[n] by Horner's rule. */
function horner(c: readonly number[], x: number): number {
  let acc = 0;
  for (const coefficient of c) acc = acc * x + coefficient;
  return acc;
}

/** Acklam's approximation for p ≤ 1/2 (the lower half, where it is used). */
function acklamLowerHalf(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(C, q) / (horner(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}

/**
 * The standard normal quantile Φ⁻¹(p): the z with P(Z ≤ z) = p. Acklam's algorithm, then a
 * Halley step on Φ(z) - p, giving full double precision; tiny p (1e-300) work too. For
 * p > 1/2 the result is -Φ⁻¹(1 - p): pass small upper tails to {@link normalUpperQuantile}.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  const z = acklamLowerHalf(p);
  const density = normalPdf(z);
  if (density === 0) return z;
  // Near the middle Φ(z) - p is formed as erf(z/√2)/2 - (p - 1/2), p - 1/2 being exact there,
  // so a p of 0.5 + 1e-12 still gets a quantile accurate to the last digits.
  const residual = p >= P_LOW ? 0.5 * erf(z * Math.SQRT1_2) - (p - 0.5) : normalLower(z) - p;
  const u = residual / density;
  return z - u / (1 + (z * u) / 2);
}

/** The z with P(Z > z) = q: the upper quantile, exact for small q (q = 0.025 → 1.959963984540054). */
export function normalUpperQuantile(q: number): number {
  return -normalQuantile(q);
}
