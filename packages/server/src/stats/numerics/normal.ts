import { erfc } from './erfc';

const INV_SQRT_TWO_PI = 0.3989422804014327; // 1 / sqrt(2π)

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}

/** Standard normal upper tail P(Z > z) = erfc(z / √2) / 2, accurate far into the tail (z = 11 → 1.9e-28). */
export function normalUpper(z: number): number {
  return 0.5 * erfc(z * Math.SQRT1_2);
}

/** Standard normal lower tail Φ(z) = P(Z ≤ z) = erfc(-z / √2) / 2. */
export function normalLower(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/** Two-sided normal p-value P(|Z| ≥ |z|) = erfc(|z| / √2). */
export function normalTwoSided(z: number): number {
  return erfc(Math.abs(z) * Math.SQRT1_2);
}
