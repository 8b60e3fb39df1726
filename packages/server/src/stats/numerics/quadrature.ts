/** Nodes and weights of an n-point Gauss–Legendre rule on [-1, 1]. */
export interface GaussLegendreRule {
  nodes: readonly number[];
  weights: readonly number[];
}

/**
 * Builds the n-point Gauss–Legendre rule: the nodes are the roots of the Legendre polynomial
 * Pₙ, found by Newton's method from cos(π (i - 1/4) / (n + 1/2)), with weights
 * 2 / ((1 - x²) Pₙ'(x)²). Exact for polynomials of degree up to 2n - 1.
 */
export function gaussLegendre(n: number): GaussLegendreRule {
  const nodes = new Array<number>(n).fill(0);
  const weights = new Array<number>(n).fill(0);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 1;
    for (let iteration = 0; iteration < 100; iteration++) {
      let previous = 1; // P₀
      let current = x; // P₁
      for (let k = 2; k <= n; k++) {
        const next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
        previous = current;
        current = next;
      }
      derivative = (n * (x * current - previous)) / (x * x - 1);
      const step = current / derivative;
      x -= step;
      if (Math.abs(step) <= Number.EPSILON) break;
    }
    const weight = 2 / ((1 - x * x) * derivative * derivative);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = weight;
    weights[n - 1 - i] = weight;
  }
  return { nodes, weights };
}

const RULE_20 = gaussLegendre(20);

/**
 * ∫ₐᵇ f, for a vector-valued f (several integrals over the same nodes at once), by the
 * 20-point Gauss–Legendre rule on each of `panels` equal panels.
 */
export function integrate(
  f: (x: number) => readonly number[],
  a: number,
  b: number,
  panels = 16,
): number[] {
  const width = (b - a) / panels;
  let totals: number[] = [];
  for (let panel = 0; panel < panels; panel++) {
    const mid = a + (panel + 0.5) * width;
    for (let i = 0; i < RULE_20.nodes.length; i++) {
      const values = f(mid + 0.5 * width * RULE_20.nodes[i]!);
      const w = 0.5 * width * RULE_20.weights[i]!;
      if (totals.length === 0) totals = values.map(() => 0);
      for (let j = 0; j < values.length; j++) totals[j]! += w * values[j]!;
    }
  }
  return totals;
}
