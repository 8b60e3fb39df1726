import { describe, expect, it } from 'vitest';
import {
  fixedHorizonComparison,
  mixtureSequentialTest,
  optimalMixtureRatio,
  sequentialComparison,
  summarizeVariant,
} from '../../src/stats';
import { mulberry32 } from './support/mulberry32';

describe('mixtureSequentialTest', () => {
  it('computes Λ and the confidence-sequence half-width from the mSPRT formulas', () => {
    // V = 1, τ² = 1, θ̂ = 2: Λ = √(1/2) · exp(4 · 1 / (2 · 1 · 2)) = 0.7071068 · e = 1.9221155,
    // p = 1/Λ = 0.5202601; half-width = √(1 · 2 / 1 · (2 ln 20 + ln 2)) = √13.3692 = 3.6564.
    const look = mixtureSequentialTest(2, 1, 1, 0.05);
    expect(look.pValue).toBeCloseTo(1 / (Math.SQRT1_2 * Math.E), 12);
    expect(look.pValue).toBeCloseTo(0.5202601, 6);
    expect(look.halfWidth).toBeCloseTo(Math.sqrt(2 * (2 * Math.log(20) + Math.log(2))), 12);
    expect(look.halfWidth).toBeCloseTo(3.65639, 4);
  });

  it('caps the p-value at 1 when the estimate is near 0', () => {
    expect(mixtureSequentialTest(0, 1, 5, 0.05).pValue).toBe(1);
  });

  it('rejects θ = 0 exactly when 0 is outside the confidence sequence', () => {
    for (const estimate of [0.5, 2, 3.2, 3.3, 4, 6]) {
      const look = mixtureSequentialTest(estimate, 0.25, 2, 0.05);
      expect(look.pValue < 0.05).toBe(Math.abs(estimate) > look.halfWidth);
    }
  });
});

describe('optimalMixtureRatio', () => {
  it('solves r = 2 ln(1/α) + ln(1 + r) and minimizes the half-width', () => {
    const r = optimalMixtureRatio(0.05);
    expect(r).toBeCloseTo(2 * Math.log(20) + Math.log1p(r), 12);
    expect(r).toBeGreaterThan(8.1);
    expect(r).toBeLessThan(8.3);
    const width = (ratio: number): number => mixtureSequentialTest(0, 1, ratio, 0.05).halfWidth;
    expect(width(r)).toBeLessThan(width(r * 1.05));
    expect(width(r)).toBeLessThan(width(r / 1.05));
  });
});

/**
 * Runs `experiments` simulated conversion experiments: units arrive one by one, a fair coin
 * assigns each to control or treatment, and it converts with the arm's rate. Every `lookEvery`
 * units the sufficient statistics (kept incrementally) go through the same fixed-horizon and
 * sequential code analyzeExperiment uses, tuned for `maxUnits`. Returns the share of experiments
 * ever declared significant at α = 0.05 by the sequential test, and by the fixed-horizon z-test
 * misused the same way (peeking at every look).
 */
function shareEverSignificant(
  controlRate: number,
  treatmentRate: number,
  experiments: number,
  seed: number,
): { sequential: number; peeking: number } {
  const maxUnits = 5000;
  const lookEvery = 100;
  const random = mulberry32(seed);
  let declared = 0;
  let peekingDeclared = 0;
  for (let e = 0; e < experiments; e++) {
    let peeked = false;
    const arms = [
      { units: 0, conversions: 0 },
      { units: 0, conversions: 0 },
    ];
    for (let unit = 1; unit <= maxUnits; unit++) {
      const treated = random() < 0.5;
      const arm = arms[treated ? 1 : 0]!;
      arm.units++;
      if (random() < (treated ? treatmentRate : controlRate)) arm.conversions++;
      if (unit % lookEvery !== 0) continue;
      const [control, treatment] = arms.map(({ units, conversions }) =>
        summarizeVariant(
          { key: '', units, conversions, sum: conversions, sumSquares: conversions },
          'conversion',
        ),
      );
      const fixed = fixedHorizonComparison(control!, treatment!, 'conversion', 0.95);
      if (fixed.pValue !== null && fixed.pValue < 0.05) peeked = true;
      const look = sequentialComparison(fixed, control!, {
        alpha: 0.05,
        progressRatio: unit / maxUnits,
      });
      if (look.pValue !== null && look.pValue < 0.05) {
        declared++;
        break;
      }
    }
    if (peeked) peekingDeclared++;
  }
  return { sequential: declared / experiments, peeking: peekingDeclared / experiments };
}

describe('sequential testing by simulation', () => {
  it('declares at most 5% of 2,000 A/A experiments significant, looking every 100 units', () => {
    const { sequential, peeking } = shareEverSignificant(0.1, 0.1, 2000, 20240601);
    expect(sequential).toBeLessThanOrEqual(0.05);
    // The same looks with the fixed-horizon p-value: the error rate peeking is known to inflate.
    expect(peeking).toBeGreaterThan(0.15);
  });

  it('declares most experiments with a real lift (10% → 13%) significant', () => {
    const { sequential } = shareEverSignificant(0.1, 0.13, 500, 7);
    expect(sequential).toBeGreaterThan(0.6);
  });
});
