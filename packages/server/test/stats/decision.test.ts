import { describe, expect, it } from 'vitest';
import { decide } from '../../src/stats';
import type { DecisionArm } from '../../src/stats';

const context = { alpha: 0.05, higherIsBetter: true, srmDetected: false, targetReached: true };
const arm = (key: string, mean: number, p: number | null, lift = 0): DecisionArm => ({
  key,
  mean,
  sequentialPValue: p,
  relativeLift: lift,
});
const control = { key: 'control', mean: 0.1 };

describe('decide', () => {
  it('crowns the best of the significantly better treatments', () => {
    const decision = decide(
      control,
      [arm('a', 0.12, 0.01, 0.2), arm('b', 0.13, 0.04, 0.3), arm('c', 0.2, 0.3, 1)],
      context,
    );
    expect(decision).toEqual({
      significant: true,
      winner: 'b',
      confidence: 0.96,
      lift: 0.3,
      srmDetected: false,
      targetReached: true,
    });
  });

  it('crowns control only when it beats every treatment significantly', () => {
    const both = decide(control, [arm('a', 0.08, 0.01), arm('b', 0.09, 0.02)], context);
    expect(both.winner).toBe('control');
    expect(both.confidence).toBeCloseTo(0.98, 15);
    // Control 0.1 over the best treatment 0.09: 0.1 / 0.09 - 1.
    expect(both.lift).toBeCloseTo(0.1 / 0.09 - 1, 15);
    const one = decide(control, [arm('a', 0.08, 0.01), arm('b', 0.09, 0.2)], context);
    expect(one).toMatchObject({ significant: false, winner: null });
  });

  it('reports the smallest p-value as confidence and the best lift without a winner', () => {
    const decision = decide(
      control,
      [arm('a', 0.11, 0.2, 0.1), arm('b', 0.105, 0.5, 0.05)],
      context,
    );
    expect(decision).toMatchObject({ significant: false, winner: null, lift: 0.1 });
    expect(decision.confidence).toBeCloseTo(0.8, 15);
  });

  it('turns around when lower is better', () => {
    const decision = decide(control, [arm('a', 0.08, 0.01, -0.2), arm('b', 0.12, 0.01, 0.2)], {
      ...context,
      higherIsBetter: false,
    });
    expect(decision.winner).toBe('a');
  });

  it('has confidence 0 when nothing could be tested', () => {
    expect(decide(control, [arm('a', 0.1, null)], context)).toMatchObject({
      significant: false,
      winner: null,
      confidence: 0,
    });
  });
});
