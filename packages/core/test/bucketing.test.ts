import fc from 'fast-check';
import murmurhash from 'murmurhash';
import { describe, expect, it } from 'vitest';
import {
  chooseWeighted,
  cumulativeWeights,
  inLayerRange,
  inRollout,
  position,
  positionPrefix,
  positionWithPrefix,
  rangeStart,
  unitOf,
  winnerFirstPosition,
} from '../src/bucketing';
import { chiSquare, CHI_SQUARE_CRITICAL_001 } from './support/chi-square';

const UNITS = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
const unit = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const percent = fc.double({ min: 0, max: 100, noNaN: true });

describe('position', () => {
  it("is hash(salt + ':' + purpose + ':' + unit) / 2^32", () => {
    fc.assert(
      fc.property(unit, unit, unit, (salt, purpose, u) => {
        const p = position(salt, purpose, u);
        return p === murmurhash.v3(`${salt}:${purpose}:${u}`) / 2 ** 32 && p >= 0 && p < 1;
      }),
    );
  });

  it('is the same from a cached prefix state', () => {
    fc.assert(
      fc.property(unit, unit, (salt, u) => {
        return (
          positionWithPrefix(positionPrefix(salt, 'variant'), u) === position(salt, 'variant', u)
        );
      }),
    );
  });

  it('gives each purpose an independent position', () => {
    expect(position('checkout', 'rollout', 'u1')).not.toBe(position('checkout', 'variant', 'u1'));
  });
});

describe('rollout', () => {
  it('admits nobody at 0% and everybody at 100%', () => {
    for (const u of UNITS.slice(0, 1000)) {
      const p = position('f', 'rollout', u);
      expect(inRollout(p, 0)).toBe(false);
      expect(inRollout(p, 100)).toBe(true);
    }
  });

  it('only adds units when the percent rises and only removes them when it falls', () => {
    fc.assert(
      fc.property(unit, percent, percent, (u, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const p = position('flag', 'rollout', u);
        return !inRollout(p, low) || inRollout(p, high);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every unit when the rollout rises from 10% to 50%', () => {
    const at10 = UNITS.filter((u) => inRollout(position('flag', 'rollout', u), 10));
    expect(at10.every((u) => inRollout(position('flag', 'rollout', u), 50))).toBe(true);
    expect(at10.length / UNITS.length).toBeCloseTo(0.1, 2);
  });

  it.each([1, 10, 25, 50, 90])('admits %i% of units, within ±1%', (pct) => {
    const admitted = UNITS.filter((u) => inRollout(position('flag', 'rollout', u), pct)).length;
    expect(Math.abs(admitted / UNITS.length - pct / 100)).toBeLessThan(0.01);
  });
});

describe('weighted choice', () => {
  it('normalizes the cumulative weights and ends exactly at 1', () => {
    expect(cumulativeWeights([50, 30, 20])).toEqual([0.5, 0.8, 1]);
    expect(cumulativeWeights([0.1, 0.2])[1]).toBe(1);
    expect(chooseWeighted([0.5, 0.8, 1], 0)).toBe(0);
    expect(chooseWeighted([0.5, 0.8, 1], 0.5)).toBe(1);
    expect(chooseWeighted([0.5, 0.8, 1], 0.79)).toBe(1);
    expect(chooseWeighted([0.5, 0.8, 1], 0.999)).toBe(2);
    expect(rangeStart([0.5, 0.8, 1], 2)).toBe(0.8);
  });

  it.each([[[1, 1, 1]], [[50, 30, 20]], [[10, 90]], [[5, 5, 10, 80]]])(
    'gives weights %j their share of 100,000 units (±1%, chi-square)',
    (weights) => {
      const cumulative = cumulativeWeights(weights);
      const counts = weights.map(() => 0);
      for (const u of UNITS) counts[chooseWeighted(cumulative, position('exp', 'variant', u))]!++;
      const total = weights.reduce((a, b) => a + b, 0);
      const expected = weights.map((w) => (w / total) * UNITS.length);
      counts.forEach((c, i) =>
        expect(Math.abs(c - expected[i]!) / UNITS.length).toBeLessThan(0.01),
      );
      expect(chiSquare(counts, expected)).toBeLessThan(
        CHI_SQUARE_CRITICAL_001[weights.length - 1]!,
      );
    },
  );

  it('draws the variant independently of the rollout (2×k contingency table)', () => {
    const cumulative = cumulativeWeights([1, 1, 1]);
    const table = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (const u of UNITS) {
      const row = inRollout(position('exp', 'rollout', u), 30) ? 0 : 1;
      table[row]![chooseWeighted(cumulative, position('exp', 'variant', u))]!++;
    }
    const rowSums = table.map((r) => r.reduce((a, b) => a + b, 0));
    const colSums = [0, 1, 2].map((c) => table[0]![c]! + table[1]![c]!);
    const observed = table.flat();
    const expected = table.flatMap((_, r) => colSums.map((c) => (rowSums[r]! * c) / UNITS.length));
    // (2 - 1) × (3 - 1) = 2 degrees of freedom.
    expect(chiSquare(observed, expected)).toBeLessThan(CHI_SQUARE_CRITICAL_001[2]!);
  });
});

describe('winner-first rollout', () => {
  const weights = [40, 35, 25];
  const cumulative = cumulativeWeights(weights);
  const winner = 1;
  const start = rangeStart(cumulative, winner);
  const share = cumulative[winner]! - start;
  const sample = UNITS.slice(0, 20_000).map((u) => {
    const v = position('exp_1', 'variant', u);
    return {
      sawWinner: chooseWeighted(cumulative, v) === winner,
      order: winnerFirstPosition(v, start),
    };
  });

  it('admits the units that saw the winner before anyone else', () => {
    for (const pct of [5, 10, 20, 30]) {
      const admitted = sample.filter((s) => inRollout(s.order, pct));
      expect(admitted.every((s) => s.sawWinner)).toBe(true);
    }
  });

  it('keeps them as the rollout grows, and has them all once it reaches the winner’s share', () => {
    fc.assert(
      fc.property(percent, percent, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return sample.every((s) => !inRollout(s.order, low) || inRollout(s.order, high));
      }),
      { numRuns: 200 },
    );
    for (const pct of [share * 100, 50, 80, 100]) {
      expect(sample.filter((s) => s.sawWinner).every((s) => inRollout(s.order, pct))).toBe(true);
    }
  });

  it('maps positions into [0, 1)', () => {
    expect(winnerFirstPosition(0.3, 0.5)).toBeCloseTo(0.8, 12);
    expect(winnerFirstPosition(0.7, 0.5)).toBeCloseTo(0.2, 12);
    expect(winnerFirstPosition(0.5, 0.5)).toBe(0);
    expect(winnerFirstPosition(0.25, 1)).toBe(0.25);
  });
});

describe('layers', () => {
  it('never puts a unit in two experiments of one layer', () => {
    const ranges = [
      { start: 0, end: 0.3 },
      { start: 0.3, end: 0.5 },
      { start: 0.5, end: 1 },
    ];
    const counts = [0, 0, 0];
    for (const u of UNITS.slice(0, 30_000)) {
      const p = position('layer_checkout', 'layer', u);
      const members = ranges.filter((r) => inLayerRange(p, r)).length;
      expect(members).toBe(1);
      counts[ranges.findIndex((r) => inLayerRange(p, r))]!++;
    }
    expect(counts[0]! / 30_000).toBeCloseTo(0.3, 1);
  });

  it('treats a range as [start, end)', () => {
    expect(inLayerRange(0.3, { start: 0.3, end: 0.5 })).toBe(true);
    expect(inLayerRange(0.5, { start: 0.3, end: 0.5 })).toBe(false);
  });
});

describe('unitOf', () => {
  it('reads strings, stringifies finite numbers, and rejects the rest', () => {
    expect(unitOf({ userId: 'u1' }, 'userId')).toBe('u1');
    expect(unitOf({ accountId: 42 }, 'accountId')).toBe('42');
    expect(unitOf({ userId: '' }, 'userId')).toBeUndefined();
    expect(unitOf({ userId: NaN }, 'userId')).toBeUndefined();
    expect(unitOf({ userId: { id: 1 } }, 'userId')).toBeUndefined();
    expect(unitOf({}, 'userId')).toBeUndefined();
  });
});
