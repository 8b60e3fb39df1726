import { continuedFraction } from './continued-fraction';
import { logBeta } from './log-gamma';

/** Both tails of a distribution: `lower` = P(X ≤ x), `upper` = P(X > x), each computed directly. */
export interface Tails {
  lower: number;
  upper: number;
}

/**
 * The regularized incomplete beta function I_x(a, b) (`lower`) and its complement
 * 1 - I_x(a, b) = I_{1-x}(b, a) (`upper`). The smaller side of the distribution is computed by
 * the continued fraction, so a tail of 1e-30 keeps its relative accuracy; pass `y` = 1 - x when
 * you have it more precisely than 1 - x rounds (a Student t near 0 does).
 *
 * I_x(a, b) = x^a y^b / (a B(a, b)) · 1 / (1 + d₁ / (1 + d₂ / (1 + ...))), with
 * d₂ₘ₊₁ = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)), d₂ₘ = m (b - m) x / ((a + 2m - 1)(a + 2m)),
 * which converges quickly for x < (a + 1) / (a + b + 2); beyond that the roles swap.
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): Tails {
  if (Number.isNaN(x) || Number.isNaN(y) || !(a > 0) || !(b > 0)) {
    return { lower: Number.NaN, upper: Number.NaN };
  }
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = front / (a * betaFraction(x, a, b, y));
    return { lower, upper: 1 - lower };
  }
  const upper = front / (b * betaFraction(y, b, a, x));
  return { lower: 1 - upper, upper };
}

/**
 * The denominator 1 + d₁ / (1 + d₂ / (1 + ...)) of the incomplete beta fraction, through its odd
 * part 1 + d₁ - d₁d₂ / (1 + d₂ + d₃ - d₃d₄ / (1 + d₄ + d₅ - ...)). Each 1 + d₂ₘ₊₁ nearly cancels
 * when a is large and x near 1 (Student t with a huge df: d₁ ≈ -1 + 1e-11), so it is formed from
 * λ = a - (a + b) x = (a + b) y - b as the cancellation-free
 *   1 + d₂ₘ₊₁ = ((a + m)(λ + m y) + 2am + 3m² + a + 2m) / ((a + 2m)(a + 2m + 1)).
 */
function betaFraction(x: number, a: number, b: number, y: number): number {
  const lambda = x < 0.5 ? a - (a + b) * x : (a + b) * y - b;
  const oddPlusOne = (m: number): number =>
    ((a + m) * (lambda + m * y) + 2 * a * m + 3 * m * m + a + 2 * m) /
    ((a + 2 * m) * (a + 2 * m + 1));
  const odd = (m: number): number => oddPlusOne(m) - 1; // d₂ₘ₊₁, where no cancellation matters
  const even = (m: number): number => (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)); // d₂ₘ
  return continuedFraction(
    oddPlusOne(0),
    (m) => -odd(m - 1) * even(m),
    (m) => oddPlusOne(m) + even(m),
  );
}
