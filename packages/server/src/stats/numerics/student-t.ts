import { incompleteBeta } from './incomplete-beta';
import { logBeta } from './log-gamma';
import { normalUpperQuantile } from './inverse-normal';
import { normalPdf, normalTwoSided } from './normal';

/**
 * P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_x(df/2, 1/2) at
 * x = df / (df + t²), with 1 - x = t² / (df + t²) formed without cancellation.
 * df = Infinity is the normal distribution.
 */
export function studentTTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalTwoSided(t);
  const t2 = t * t;
  let x: number;
  let y: number;
  if (t2 > df) {
    const ratio = df / t2; // ratio = 0 when t² overflows: x = 0, y = 1
    x = ratio / (1 + ratio);
    y = 1 / (1 + ratio);
  } else {
    const ratio = t2 / df;
    x = 1 / (1 + ratio);
    y = ratio / (1 + ratio);
  }
  return incompleteBeta(x, df / 2, 0.5, y).lower;
}

/** Student t upper tail P(T > t). */
export function studentTUpper(t: number, df: number): number {
  const beyond = 0.5 * studentTTwoSided(t, df);
  return t >= 0 ? beyond : 1 - beyond;
}

/** Student t lower tail P(T ≤ t). */
export function studentTLower(t: number, df: number): number {
  return studentTUpper(-t, df);
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  if (df === Number.POSITIVE_INFINITY) return normalPdf(t);
  return Math.exp(
    -((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(df / 2, 0.5),
  );
}

/**
 * The t with P(T > t) = q for Student's t with `df` degrees of freedom (q = 0.025, df = 10 →
 * 2.228138851986…). Newton's method on ln P(T > t) from a Cornish–Fisher start, kept inside a
 * bracket by bisection, to full double precision.
 */
export function studentTUpperQuantile(q: number, df: number): number {
  if (Number.isNaN(q) || q < 0 || q > 1 || Number.isNaN(df) || df <= 0) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalUpperQuantile(q);
  if (q === 0) return Number.POSITIVE_INFINITY;
  if (q === 1) return Number.NEGATIVE_INFINITY;
  if (q > 0.5) return -studentTUpperQuantile(1 - q, df);
  if (q === 0.5) return 0;
  const logQ = Math.log(q);
  const gap = (t: number): number => Math.log(studentTUpper(t, df)) - logQ; // decreasing in t
  const z = normalUpperQuantile(q);
  const z2 = z * z;
  let t = z + (z * (z2 + 1)) / (4 * df) + (z * ((5 * z2 + 16) * z2 + 3)) / (96 * df * df);
  let lo = 0;
  let hi = Math.max(2 * t, 1);
  while (gap(hi) > 0 && hi < 1e300) {
    lo = hi;
    hi *= 16;
  }
  if (!(t > lo && t < hi)) t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const g = gap(t);
    if (g === 0) return t;
    if (g > 0) lo = t;
    else hi = t;
    const slope = -studentTPdf(t, df) / studentTUpper(t, df);
    let next = t - g / slope;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (Math.abs(next - t) <= 4 * Number.EPSILON * next) return next;
    t = next;
  }
  return t;
}
