import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/stats';
import type { ExperimentInput, MetricKind, VariantStats } from '../../src/stats';

const twoArms = [
  { key: 'control', weight: 50 },
  { key: 'simplified', weight: 50 },
];
const conversion = (key: string, units: number, conversions: number): VariantStats => ({
  key,
  units,
  sum: conversions,
  sumSquares: conversions,
});

/** Every number in a JSON-like value, with its path. */
function numbersIn(value: unknown, path = '$'): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => numbersIn(child, `${path}.${key}`));
}

describe('analyzeExperiment', () => {
  it('analyzes the onboarding experiment end to end', () => {
    const results = analyzeExperiment({
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 2500, 250), conversion('simplified', 2500, 340)],
      targetSampleSize: 5000,
    });
    expect(results.control).toBe('control');
    expect(results.totalUnits).toBe(5000);
    expect(results.progress).toBe(1);
    const [control, treatment] = results.variants;
    expect(control).toMatchObject({ isControl: true, mean: 0.1, comparison: null, share: 0.5 });
    expect(treatment!.mean).toBeCloseTo(0.136, 15);
    const comparison = treatment!.comparison!;
    expect(comparison.relativeLift.estimate).toBeCloseTo(0.36, 12);
    expect(comparison.pValue!).toBeLessThan(1e-4);
    // The confidence sequence is wider than the fixed-horizon interval and its p-value larger.
    expect(comparison.sequential.absoluteLift.lower!).toBeLessThan(comparison.absoluteLift.lower!);
    expect(comparison.sequential.pValue!).toBeGreaterThan(comparison.pValue!);
    expect(comparison.sequential.pValue!).toBeLessThan(0.05);
    expect(comparison.bayesian.chanceToBeatControl!).toBeGreaterThan(0.999);
    expect(results.srm).toMatchObject({ pValue: 1, detected: false });
    expect(results.decision).toEqual({
      significant: true,
      winner: 'simplified',
      confidence: 1 - comparison.sequential.adjustedPValue!,
      lift: comparison.relativeLift.estimate,
      srmDetected: false,
      targetReached: true,
    });
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it('reports no winner for an A/A-like result and flags the missing target', () => {
    const results = analyzeExperiment({
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 1000, 100), conversion('simplified', 1000, 104)],
    });
    expect(results.decision).toMatchObject({
      significant: false,
      winner: null,
      targetReached: false,
    });
    expect(results.flags).toEqual(['no-target']);
    expect(results.progress).toBeNull();
  });

  it('applies Holm across three arms and picks the best significant treatment', () => {
    const results = analyzeExperiment({
      variants: [
        { key: 'control', weight: 1 },
        { key: 'a', weight: 1 },
        { key: 'b', weight: 1 },
      ],
      metric: 'conversion',
      stats: [
        conversion('control', 4000, 400),
        conversion('a', 4000, 520),
        conversion('b', 4000, 430),
      ],
      targetSampleSize: 12_000,
    });
    const [a, b] = [results.variants[1]!.comparison!, results.variants[2]!.comparison!];
    // Two comparisons: the smaller p doubles, the larger is max(itself, the first adjusted).
    expect(a.adjustedPValue).toBeCloseTo(Math.min(1, 2 * a.pValue!), 15);
    expect(b.adjustedPValue).toBeCloseTo(Math.max(b.pValue!, a.adjustedPValue!), 15);
    expect(a.sequential.adjustedPValue).toBeCloseTo(Math.min(1, 2 * a.sequential.pValue!), 15);
    expect(results.decision.winner).toBe('a');
  });

  it('takes a named control and lower-is-better metrics', () => {
    const results = analyzeExperiment({
      variants: [
        { key: 'fast', weight: 1 },
        { key: 'baseline', weight: 1 },
      ],
      control: 'baseline',
      metric: 'mean',
      higherIsBetter: false,
      // Latency: baseline mean 300 (s² = 400), fast mean 280 (s² = 400), 500 units each.
      stats: [
        { key: 'baseline', units: 500, sum: 150_000, sumSquares: 499 * 400 + 500 * 300 * 300 },
        { key: 'fast', units: 500, sum: 140_000, sumSquares: 499 * 400 + 500 * 280 * 280 },
      ],
    });
    expect(results.control).toBe('baseline');
    const fast = results.variants[0]!.comparison!;
    expect(fast.test).toBe('welch-t');
    expect(fast.absoluteLift.estimate).toBe(-20);
    expect(fast.bayesian.chanceToBeatControl!).toBeGreaterThan(0.999);
    expect(results.decision.winner).toBe('fast');
    expect(results.decision.lift).toBeCloseTo(-20 / 300, 15);
  });

  it('keeps the running minimum of the sequential p-value when given the previous one', () => {
    const input: ExperimentInput = {
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 1000, 100), conversion('simplified', 1000, 104)],
    };
    const stateless = analyzeExperiment(input).variants[1]!.comparison!.sequential.pValue!;
    const running = analyzeExperiment({
      ...input,
      previousSequentialPValues: { simplified: 0.2 },
    }).variants[1]!.comparison!.sequential.pValue;
    expect(stateless).toBeGreaterThan(0.2);
    expect(running).toBe(0.2);
  });

  it('uses an explicit τ² and the tuning sample size', () => {
    const base: ExperimentInput = {
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 1000, 100), conversion('simplified', 1000, 130)],
    };
    expect(
      analyzeExperiment({ ...base, sequential: { tau2: 1e-3 } }).variants[1]!.comparison!.sequential
        .tau2,
    ).toBe(1e-3);
    const early = analyzeExperiment({ ...base, sequential: { tunedForUnits: 2000 } });
    const late = analyzeExperiment({ ...base, sequential: { tunedForUnits: 200_000 } });
    // Tuned for the current 2,000 units the sequence is at its narrowest now.
    const width = (r: typeof early) => {
      const { lower, upper } = r.variants[1]!.comparison!.sequential.absoluteLift;
      return upper! - lower!;
    };
    expect(width(early)).toBeLessThan(width(late));
  });

  it('detects a sample-ratio mismatch in the decision', () => {
    const results = analyzeExperiment({
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 5000, 500), conversion('simplified', 5400, 540)],
    });
    expect(results.srm.detected).toBe(true);
    expect(results.decision.srmDetected).toBe(true);
  });

  it('flags degenerate inputs instead of inventing numbers', () => {
    const noUnits = analyzeExperiment({ variants: twoArms, metric: 'conversion', stats: [] });
    expect(noUnits.variants[0]!.flags).toEqual(['no-units']);
    expect(noUnits.variants[1]!.comparison).toMatchObject({
      pValue: null,
      flags: ['insufficient-data'],
      sequential: { pValue: null },
      bayesian: { chanceToBeatControl: null },
    });
    expect(noUnits.srm).toMatchObject({ pValue: null, flags: ['no-units'] });
    expect(noUnits.decision).toMatchObject({ significant: false, winner: null, confidence: 0 });

    const allConvert = analyzeExperiment({
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 40, 40), conversion('simplified', 40, 40)],
    });
    expect(allConvert.variants[1]!.comparison).toMatchObject({
      pValue: null,
      flags: ['few-conversions', 'zero-variance'],
    });
    expect(allConvert.variants[1]!.comparison!.bayesian.chanceToBeatControl).toBeCloseTo(0.5, 9);

    const zeroBaseline = analyzeExperiment({
      variants: twoArms,
      metric: 'conversion',
      stats: [conversion('control', 400, 0), conversion('simplified', 400, 12)],
    });
    const comparison = zeroBaseline.variants[1]!.comparison!;
    expect(comparison.flags).toContain('zero-baseline');
    expect(comparison.relativeLift).toEqual({ estimate: null, lower: null, upper: null });
    expect(comparison.pValue).not.toBeNull();

    const stray = analyzeExperiment({
      variants: twoArms,
      metric: 'mean',
      stats: [{ key: 'ghost', units: 1, sum: 1, sumSquares: 1 }],
    });
    expect(stray.flags).toContain('unknown-variant-stats');
  });

  it('throws only on a misconfigured experiment', () => {
    const base: ExperimentInput = { variants: twoArms, metric: 'mean', stats: [] };
    expect(() => analyzeExperiment({ ...base, variants: [] })).toThrow(RangeError);
    expect(() => analyzeExperiment({ ...base, control: 'nope' })).toThrow(RangeError);
    expect(() => analyzeExperiment({ ...base, confidenceLevel: 1 })).toThrow(RangeError);
    expect(() =>
      analyzeExperiment({ ...base, variants: [...twoArms, { key: 'control', weight: 1 }] }),
    ).toThrow(RangeError);
    expect(() =>
      analyzeExperiment({ ...base, variants: [{ key: 'a', weight: 0 }, ...twoArms] }),
    ).toThrow(RangeError);
  });

  it('never returns NaN or Infinity, whatever non-negative statistics it gets', () => {
    const amount = fc.oneof(
      fc.constantFrom(0, 1, 2, 5),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.double({ min: 0, max: 1e300, noNaN: true, noDefaultInfinity: true }),
    );
    // Half arbitrary (mostly inconsistent) numbers, half consistent statistics: conversions ≤
    // units and Σx² = (Σx)²/n + a non-negative spread.
    const arbitrary = (key: string) =>
      fc.record({
        key: fc.constant(key),
        units: amount,
        sum: amount,
        sumSquares: amount,
        conversions: fc.option(amount, { nil: undefined }),
      });
    const consistent = (key: string) =>
      fc
        .tuple(amount, fc.double({ min: 0, max: 1, noNaN: true }), amount, amount)
        .map(([units, rate, mean, spread]) => {
          const conversions = Math.floor(units * rate);
          const sum = units * mean;
          const sumSquares = units === 0 ? 0 : sum * mean + spread;
          return { key, units, sum, sumSquares, conversions };
        });
    const stats = (key: string) => fc.oneof(arbitrary(key), consistent(key));
    fc.assert(
      fc.property(
        fc.constantFrom<MetricKind>('conversion', 'mean', 'count'),
        fc.integer({ min: 2, max: 4 }),
        fc.array(stats('v0'), { maxLength: 1 }),
        stats('v1'),
        stats('v2'),
        stats('v3'),
        fc.option(amount, { nil: undefined }),
        fc.boolean(),
        (metric, arms, first, s1, s2, s3, targetSampleSize, higherIsBetter) => {
          const variants = Array.from({ length: arms }, (_, i) => ({
            key: `v${i}`,
            weight: i + 1,
          }));
          const results = analyzeExperiment({
            variants,
            metric,
            stats: [...first, s1, s2, s3].slice(0, arms),
            targetSampleSize,
            higherIsBetter,
          });
          for (const [path, value] of numbersIn(results)) {
            expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
          }
          const p = results.decision.confidence;
          expect(p >= 0 && p <= 1).toBe(true);
        },
      ),
      { numRuns: Number(process.env.STATS_RUNS ?? 300) },
    );
  }, 60_000);
});
