/** Below this a Lentz denominator counts as zero and is nudged off it. */
const TINY = 1e-300;

/**
 * Evaluates the continued fraction b0 + a1 / (b1 + a2 / (b2 + ...)) with the modified Lentz
 * method: left to right, stopping when one more term changes the value by less than a
 * rounding error, or after `maxIterations` terms.
 */
export function continuedFraction(
  b0: number,
  a: (n: number) => number,
  b: (n: number) => number,
  maxIterations = 100_000,
): number {
  let f = Math.abs(b0) < TINY ? TINY : b0;
  let c = f;
  let d = 0;
  for (let n = 1; n <= maxIterations; n++) {
    const an = a(n);
    const bn = b(n);
    d = bn + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = bn + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= Number.EPSILON) break;
  }
  return f;
}
