import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalLower,
  normalQuantile,
  normalTwoSided,
  normalUpper,
  normalUpperQuantile,
} from '../../src/stats/numerics';
import { normalUpperReference } from './support/big-decimal';
import { expectRelative } from './support/close-to';

describe('normal tails', () => {
  it('matches the tabulated Φ(-1.96) = 0.0249978951482204', () => {
    expectRelative(normalLower(-1.96), 0.0249978951482204, 1e-14);
    expectRelative(normalUpper(1.96), 0.0249978951482204, 1e-14);
  });

  const points: [bigint, bigint][] = [
    [0n, 1n],
    [1n, 2n],
    [1n, 1n],
    [196n, 100n],
    [3n, 1n],
    [5n, 1n],
    [8n, 1n],
    [11n, 1n],
    [115n, 10n],
    [15n, 1n],
  ];
  for (const [p, q] of points) {
    it(`gives the upper tail at z = ${p}/${q} to 1e-13 of a 220-digit series`, () => {
      expectRelative(normalUpper(Number(p) / Number(q)), normalUpperReference(p, q), 1e-13);
    });
  }

  it('gives p-values down to 1e-30 and below (z = 11 → 1.9e-28, z = 11.5 → 6.5e-31)', () => {
    expect(normalUpper(11)).toBeCloseTo(1.9e-28, 29);
    expectRelative(normalTwoSided(11.5), 2 * normalUpperReference(115n, 10n), 1e-13);
    expect(normalTwoSided(11.5)).toBeLessThan(1.5e-30);
  });

  it('has lower + upper = 1 and lower(z) = upper(-z)', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (z) => {
        expect(normalLower(z) + normalUpper(z)).toBeCloseTo(1, 14);
        expect(normalLower(z)).toBe(normalUpper(-z));
      }),
    );
  });
});

describe('normal quantile', () => {
  it('matches well-known quantiles', () => {
    expectRelative(normalUpperQuantile(0.025), 1.959963984540054, 1e-14);
    expectRelative(normalQuantile(0.8), 0.8416212335729143, 1e-14);
    const p = 0.5 + 1e-12; // p - 0.5 is exact in doubles; near 1/2, Φ⁻¹(p) ≈ (p - 1/2)√(2π)
    expectRelative(normalQuantile(p), (p - 0.5) * Math.sqrt(2 * Math.PI), 1e-12);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts the CDF to the last bits of z, from p = 1e-300 to 1/2', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }), (exponent) => {
        const p = 10 ** exponent;
        const z = normalQuantile(p);
        // d ln Φ / dz ≈ |z|, so half an ulp of z (|z| · 1.1e-16) moves Φ by z² · 1.1e-16.
        expectRelative(normalLower(z), p, 1e-14 + 2 * Number.EPSILON * z * z);
      }),
    );
  });

  it('inverts at p = 1e-30 (z ≈ -11.46)', () => {
    const z = normalQuantile(1e-30);
    expectRelative(normalLower(z), 1e-30, 1e-13);
    expect(z).toBeCloseTo(-11.464, 3);
  });

  it('maps the ends to infinities and rejects probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
