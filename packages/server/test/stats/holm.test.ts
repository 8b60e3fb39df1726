import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/stats';

describe('holmAdjust', () => {
  it('adjusts a textbook family step-down', () => {
    // Sorted: 0.005 · 4 = 0.02; 0.01 · 3 = 0.03; 0.03 · 2 = 0.06; 0.04 · 1 = 0.04 → running
    // maximum 0.02, 0.03, 0.06, 0.06, returned in the original order.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.03, 0.06, 0.06, 0.02];
    adjusted.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 15));
  });

  it('leaves a single p-value alone and caps at 1', () => {
    expect(holmAdjust([0.2])).toEqual([0.2]);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
  });

  it('keeps nulls null but counts them in the family', () => {
    // m = 3: 0.01 · 3 = 0.03, 0.02 · 2 = 0.04.
    const [a, b, c] = holmAdjust([0.02, null, 0.01]);
    expect(b).toBeNull();
    expect(c).toBeCloseTo(0.03, 15);
    expect(a).toBeCloseTo(0.04, 15);
  });

  it('never lowers a p-value, keeps the order, and never exceeds Bonferroni', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }), (ps) => {
        const adjusted = holmAdjust(ps) as number[];
        ps.forEach((p, i) => {
          expect(adjusted[i]!).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]!).toBeLessThanOrEqual(Math.min(1, ps.length * p));
          ps.forEach((q, j) => {
            if (p < q) expect(adjusted[i]!).toBeLessThanOrEqual(adjusted[j]!);
          });
        });
      }),
    );
  });
});
