import { describe, expect, it } from 'vitest';
import { gaussLegendre, integrate } from '../../src/stats/numerics';

describe('gaussLegendre', () => {
  it('integrates polynomials up to degree 2n - 1 exactly', () => {
    const { nodes, weights } = gaussLegendre(8);
    for (let degree = 0; degree <= 15; degree++) {
      const sum = nodes.reduce((acc, x, i) => acc + weights[i]! * x ** degree, 0);
      const exact = degree % 2 === 1 ? 0 : 2 / (degree + 1);
      expect(sum).toBeCloseTo(exact, 14);
    }
  });

  it('has symmetric nodes in (-1, 1), ascending, with weights summing to 2', () => {
    const { nodes, weights } = gaussLegendre(20);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 14);
    for (let i = 0; i < 20; i++) {
      expect(nodes[i]!).toBeCloseTo(-nodes[19 - i]!, 15);
      if (i > 0) expect(nodes[i]!).toBeGreaterThan(nodes[i - 1]!);
    }
  });
});

describe('integrate', () => {
  it('integrates several smooth functions over the same nodes', () => {
    const [gauss, sine] = integrate((x) => [Math.exp(-x * x), Math.sin(x)], -9, 9);
    expect(gauss).toBeCloseTo(Math.sqrt(Math.PI), 14);
    expect(sine).toBeCloseTo(0, 14);
  });
});
