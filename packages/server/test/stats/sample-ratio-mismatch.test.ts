import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch } from '../../src/stats';
import { normalUpperFromSquare } from './support/big-decimal';
import { expectRelative } from './support/close-to';

describe('sampleRatioMismatch', () => {
  it('gives p ≈ 0.00312 for 5,000 vs 5,300 at 50/50: suspicious, but not below 0.001', () => {
    // e = 10300 / 2 = 5150 each; χ² = 2 · 150² / 5150 = 900/103 = 8.7379; with one degree of
    // freedom p = P(|Z| > √χ²) = 2 · P(Z > √(900/103)).
    const srm = sampleRatioMismatch([5000, 5300], [50, 50]);
    expect(srm.chiSquare).toBeCloseTo(900 / 103, 12);
    expect(srm.degreesOfFreedom).toBe(1);
    const expected = 2 * normalUpperFromSquare(900n, 103n);
    expectRelative(srm.pValue!, expected, 1e-13);
    expect(srm.pValue).toBeCloseTo(0.0031167, 6);
    expect(srm.detected).toBe(false);
    expect(sampleRatioMismatch([5000, 5300], [50, 50], 0.01).detected).toBe(true);
  });

  it('detects 5,000 vs 5,400 (χ² = 2 · 200² / 5200 = 15.38, p ≈ 8.8e-5)', () => {
    const srm = sampleRatioMismatch([5000, 5400], [1, 1]);
    expectRelative(srm.pValue!, 2 * normalUpperFromSquare(2n * 40000n, 5200n), 1e-13);
    expect(srm.pValue).toBeLessThan(0.001);
    expect(srm.detected).toBe(true);
  });

  it('uses the weights: 2,000 / 1,000 / 1,000 at 2:1:1 fits perfectly', () => {
    const srm = sampleRatioMismatch([2000, 1000, 1000], [2, 1, 1]);
    expect(srm.chiSquare).toBe(0);
    expect(srm.pValue).toBe(1);
    expect(srm.degreesOfFreedom).toBe(2);
  });

  it('with three arms uses the chi-square tail with 2 df, exp(-χ²/2)', () => {
    // e = 1000 each; χ² = (100² + 0 + 100²)/1000 = 20; Q(1, 10) = e^-10.
    const srm = sampleRatioMismatch([1100, 1000, 900], [1, 1, 1]);
    expect(srm.chiSquare).toBeCloseTo(20, 12);
    expectRelative(srm.pValue!, Math.exp(-10), 1e-13);
  });

  it('flags no units and invalid counts instead of inventing a p-value', () => {
    expect(sampleRatioMismatch([0, 0], [1, 1])).toMatchObject({
      pValue: null,
      detected: false,
      flags: ['no-units'],
    });
    expect(sampleRatioMismatch([10, -1], [1, 1])).toMatchObject({
      pValue: null,
      flags: ['invalid-stats'],
    });
  });
});
