import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseWeighted, cumulativeWeights, position } from '../src/bucketing';
import { assignExperiment, winnerRange } from '../src/experiments';
import type { ConfigSnapshot, ExperimentStatus } from '../src/schema/config';
import { chiSquare, CHI_SQUARE_CRITICAL_001 } from './support/chi-square';
import { experiment, snapshotOf, users } from './support/fixtures';

describe('assignExperiment', () => {
  it('assigns a running experiment’s units by weighted variant position', () => {
    const exp = experiment('exp_1', ['a', 'b', 'c']);
    exp.variants[0]!.weight = 2;
    const snapshot = snapshotOf({ experiments: [exp] });
    const cumulative = cumulativeWeights([2, 1, 1]);
    for (const { userId } of users(1000)) {
      const key = ['a', 'b', 'c'][
        chooseWeighted(cumulative, position('exp_1', 'variant', userId))
      ]!;
      expect(assignExperiment(snapshot, 'exp_1', { userId })).toEqual({
        variant: key,
        value: key.toUpperCase(),
        reason: 'ASSIGNED',
        inExperiment: true,
        unit: userId,
      });
    }
  });

  it('splits 100,000 units into three thirds', () => {
    const snapshot = snapshotOf({ experiments: [experiment('exp_3', ['a', 'b', 'c'])] });
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (const context of users(100_000))
      counts[assignExperiment(snapshot, 'exp_3', context).variant!]!++;
    const observed = Object.values(counts);
    for (const c of observed) expect(Math.abs(c / 100_000 - 1 / 3)).toBeLessThan(0.01);
    expect(
      chiSquare(
        observed,
        [1, 1, 1].map(() => 100_000 / 3),
      ),
    ).toBeLessThan(CHI_SQUARE_CRITICAL_001[2]!);
  });

  it('uses the experiment salt, not its id', () => {
    const snapshot = snapshotOf({
      experiments: [experiment('exp_1', ['a', 'b'], { salt: 'original' })],
    });
    for (const { userId } of users(200)) {
      const expected = position('original', 'variant', userId) < 0.5 ? 'a' : 'b';
      expect(assignExperiment(snapshot, 'exp_1', { userId }).variant).toBe(expected);
    }
  });

  it('serves a concluded experiment’s winner to everyone, outside the experiment', () => {
    const snapshot = snapshotOf({
      experiments: [experiment('exp_1', ['a', 'b'], { status: 'Concluded', winner: 'b' })],
    });
    expect(assignExperiment(snapshot, 'exp_1', {})).toEqual({
      variant: 'b',
      value: 'B',
      reason: 'WINNER',
      inExperiment: false,
    });
  });

  it.each<ExperimentStatus>(['Draft', 'Paused', 'Stopped', 'Archived'])(
    'assigns nobody while %s',
    (status) => {
      const snapshot = snapshotOf({ experiments: [experiment('exp_1', ['a', 'b'], { status })] });
      expect(assignExperiment(snapshot, 'exp_1', { userId: 'u' })).toEqual({
        variant: null,
        reason: 'NOT_RUNNING',
        inExperiment: false,
      });
    },
  );

  it('assigns nobody when concluded without a winner', () => {
    const snapshot = snapshotOf({
      experiments: [experiment('exp_1', ['a', 'b'], { status: 'Concluded' })],
    });
    expect(assignExperiment(snapshot, 'exp_1', { userId: 'u' }).reason).toBe('NOT_RUNNING');
  });

  it('reports NOT_FOUND for an unknown or inherited id, and for garbage', () => {
    const snapshot = snapshotOf({});
    expect(assignExperiment(snapshot, 'nope', { userId: 'u' }).reason).toBe('NOT_FOUND');
    expect(assignExperiment(snapshot, 'constructor', { userId: 'u' }).reason).toBe('NOT_FOUND');
    expect(assignExperiment(undefined as unknown as ConfigSnapshot, 'x', {}).reason).toBe(
      'NOT_FOUND',
    );
  });

  it('checks the unit, then the audience, then the layer, then the traffic', () => {
    const exp = experiment('exp_1', ['a', 'b'], {
      unit: 'deviceId',
      audience: { country: 'DE' },
      layer: { id: 'checkout', start: 0, end: 0.5 },
      trafficAllocation: 50,
    });
    const snapshot = snapshotOf({ experiments: [exp] });
    expect(assignExperiment(snapshot, 'exp_1', { userId: 'u', country: 'FR' }).reason).toBe(
      'NO_UNIT',
    );
    const reasons = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const deviceId = `d${i}`;
      const wrongCountry = assignExperiment(snapshot, 'exp_1', { deviceId, country: 'FR' });
      expect(wrongCountry).toEqual({
        variant: null,
        reason: 'AUDIENCE_MISMATCH',
        inExperiment: false,
        unit: deviceId,
      });
      const result = assignExperiment(snapshot, 'exp_1', { deviceId, country: 'DE' });
      const inLayer = position('checkout', 'layer', deviceId) < 0.5;
      const inTraffic = position('exp_1', 'traffic', deviceId) < 0.5;
      const expected = !inLayer ? 'LAYER_MISMATCH' : !inTraffic ? 'TRAFFIC_EXCLUDED' : 'ASSIGNED';
      expect(result.reason).toBe(expected);
      expect(result.inExperiment).toBe(expected === 'ASSIGNED');
      reasons.add(result.reason);
    }
    expect(reasons.size).toBe(3);
  });

  it('uses the snapshot segments in the audience', () => {
    const snapshot = snapshotOf({
      experiments: [experiment('exp_1', ['a', 'b'], { audience: { $inSegment: 'beta' } })],
      segments: { beta: { beta: true } },
    });
    expect(assignExperiment(snapshot, 'exp_1', { userId: 'u', beta: true }).reason).toBe(
      'ASSIGNED',
    );
    expect(assignExperiment(snapshot, 'exp_1', { userId: 'u', beta: false }).reason).toBe(
      'AUDIENCE_MISMATCH',
    );
  });

  it('never puts a unit in two experiments of one layer', () => {
    const layer = (start: number, end: number) => ({ id: 'checkout', start, end });
    const snapshot = snapshotOf({
      experiments: [
        experiment('e1', ['a', 'b'], { layer: layer(0, 0.25) }),
        experiment('e2', ['a', 'b'], { layer: layer(0.25, 0.7) }),
        experiment('e3', ['a', 'b'], { layer: layer(0.7, 1) }),
      ],
    });
    for (const context of users(5000)) {
      const assigned = ['e1', 'e2', 'e3'].filter(
        (id) => assignExperiment(snapshot, id, context).inExperiment,
      );
      expect(assigned).toHaveLength(1);
    }
  });
});

describe('assignExperiment on garbage', () => {
  it('never throws, whatever the experiment and context', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const fields = { variants: json, winner: json, audience: json, layer: json, unit: json };
    fc.assert(
      fc.property(
        fc.record(
          { status: fc.constantFrom('Running', 'Concluded', 'Paused', 'x'), ...fields },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string(), json),
        (exp, context) => {
          const snapshot = {
            ...snapshotOf({}),
            experiments: { e: { id: 'e', salt: 'e', ...exp } },
          } as unknown as ConfigSnapshot;
          const result = assignExperiment(snapshot, 'e', context);
          expect(typeof result.reason).toBe('string');
          expect(result.inExperiment).toBe(result.reason === 'ASSIGNED');
        },
      ),
    );
  });
});

describe('winnerRange', () => {
  it('gives the slice of variant positions the winner owned', () => {
    const exp = experiment('e', ['a', 'b', 'c']);
    exp.variants[0]!.weight = 2;
    expect(winnerRange(exp, 'a')).toEqual({ start: 0, end: 0.5 });
    expect(winnerRange(exp, 'b')).toEqual({ start: 0.5, end: 0.75 });
    expect(winnerRange(exp, 'c')).toEqual({ start: 0.75, end: 1 });
    expect(winnerRange(exp, 'z')).toBeUndefined();
  });
});
