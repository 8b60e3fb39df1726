/**
 * Fixed-point decimal arithmetic on BigInt, for reference values computed independently of the
 * double-precision code under test. A value v is held as the integer round(v · 10^DIGITS).
 */
export const DIGITS = 220;
export const ONE = 10n ** BigInt(DIGITS);

/** p/q as a fixed-point number. */
export function rational(p: bigint, q: bigint = 1n): bigint {
  return (p * ONE) / q;
}

export function mul(a: bigint, b: bigint): bigint {
  return (a * b) / ONE;
}

export function div(a: bigint, b: bigint): bigint {
  return (a * ONE) / b;
}

/** Square root by Newton's method on integers. */
export function sqrt(a: bigint): bigint {
  const n = a * ONE;
  if (n === 0n) return 0n;
  let x = BigInt(`1${'0'.repeat(Math.ceil(n.toString().length / 2))}`);
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/** arctan(1/k) = Σ (-1)ⁿ / ((2n + 1) k^(2n+1)). */
function arctanInverse(k: bigint): bigint {
  let power = ONE / k; // 1 / k^(2n+1)
  let sum = 0n;
  for (let n = 0n; power !== 0n; n++) {
    const term = power / (2n * n + 1n);
    sum += n % 2n === 0n ? term : -term;
    power /= k * k;
  }
  return sum;
}

/** π by Machin's formula 16 arctan(1/5) - 4 arctan(1/239). */
export const PI = 16n * arctanInverse(5n) - 4n * arctanInverse(239n);

/** A fixed-point number as the nearest double. */
export function toNumber(a: bigint): number {
  return Number(`${a}e-${DIGITS}`);
}

/**
 * S(u) = Σ (-u)ⁿ / (n! (2n + 1)) for u = p/q ≥ 0 (so erf(x) = 2x/√π · S(x²)). The terms grow to
 * about e^u before they shrink, which the 220 digits absorb for u up to about 200.
 */
export function erfSeriesSum(p: bigint, q: bigint): bigint {
  let term = ONE; // uⁿ / n!
  let sum = ONE;
  for (let n = 1n; ; n++) {
    term = (term * p) / (q * n);
    if (term === 0n) return sum;
    const add = term / (2n * n + 1n);
    sum += n % 2n === 0n ? add : -add;
  }
}

/** erfc(p/q) to about 200 digits. */
export function erfcReference(p: bigint, q: bigint): number {
  const x = rational(p, q);
  const erf = div(mul(2n * x, erfSeriesSum(p * p, q * q)), sqrt(PI));
  return toNumber(ONE - erf);
}

/** The standard normal upper tail P(Z > p/q) = 1/2 - z / √(2π) · S(z²/2), to about 200 digits. */
export function normalUpperReference(p: bigint, q: bigint): number {
  return normalUpperFromSquare(p * p, q * q);
}

/** P(Z > z) for z = √(p/q), so that irrational z such as √χ² can be used too. */
export function normalUpperFromSquare(p: bigint, q: bigint): number {
  const z = sqrt(rational(p, q));
  const tail = ONE / 2n - div(mul(z, erfSeriesSum(p, 2n * q)), sqrt(2n * PI));
  return toNumber(tail);
}

/** ln(p / q) for positive integers of any size, to double precision. */
export function logRatio(p: bigint, q: bigint): number {
  // Scale so the integer quotient has about 80 significant bits, then take the log of a double.
  const shift = 80 - (p.toString(2).length - q.toString(2).length);
  const quotient = shift >= 0 ? (p << BigInt(shift)) / q : p / (q << BigInt(-shift));
  return Math.log(Number(quotient)) - shift * Math.LN2;
}

/** n! as a BigInt. */
export function factorial(n: number): bigint {
  let result = 1n;
  for (let i = 2n; i <= BigInt(n); i++) result *= i;
  return result;
}
