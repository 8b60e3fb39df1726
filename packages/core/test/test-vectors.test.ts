import { describe, expect, it } from 'vitest';
import { buildTestVectors } from '../scripts/test-vectors';
import {
  chooseWeighted,
  cumulativeWeights,
  inLayerRange,
  inRollout,
  position,
  winnerFirstPosition,
} from '../src/bucketing';
import { assignExperiment } from '../src/experiments';
import { evaluateFlag } from '../src/flags';
import { hash, utf8Bytes } from '../src/hash';
import type { ConfigSnapshot } from '../src/schema/config';
import vectors from '../test-vectors.json';

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** The fields of `actual` that `expected` names, so absent fields must stay absent. */
function pick(actual: object, expected: object): Record<string, unknown> {
  const keys = new Set([
    ...Object.keys(expected),
    'value',
    'variant',
    'reason',
    'errorCode',
    'ruleIndex',
    'experiment',
    'inExperiment',
    'unit',
  ]);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (actual as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

describe('test-vectors.json', () => {
  it('is what the generator makes from the oracle (regenerate, never edit)', () => {
    expect(vectors).toEqual(JSON.parse(JSON.stringify(buildTestVectors())));
  });

  it('has the hash of every input and its UTF-8 bytes', () => {
    for (const v of vectors.hash) {
      const input = v.input ?? String.fromCharCode(...(v.inputCodeUnits ?? []));
      expect(hash(input), JSON.stringify(input)).toBe(v.output);
      expect(hex(utf8Bytes(input))).toBe(v.utf8);
    }
    expect(vectors.hash.filter((v) => 'inputCodeUnits' in v).length).toBeGreaterThan(3);
  });

  it('has positions', () => {
    for (const v of vectors.position) {
      expect(hash(`${v.salt}:${v.purpose}:${v.unit}`)).toBe(v.hash);
      expect(position(v.salt, v.purpose, v.unit)).toBe(v.position);
    }
  });

  it('has rollout decisions', () => {
    for (const v of vectors.rollout) {
      expect(position(v.salt, 'rollout', v.unit)).toBe(v.position);
      expect(inRollout(v.position, v.percent)).toBe(v.in);
    }
    expect(new Set(vectors.rollout.map((v) => v.in)).size).toBe(2);
  });

  it('has variant choices', () => {
    for (const v of vectors.variant) {
      expect(
        chooseWeighted(cumulativeWeights(v.weights), position(v.salt, 'variant', v.unit)),
      ).toBe(v.index);
    }
  });

  it('has winner-first rollouts', () => {
    for (const v of vectors.winnerFirst) {
      const c = cumulativeWeights(v.weights);
      expect(v.winner === 0 ? 0 : c[v.winner - 1]).toBe(v.winnerStart);
      const p = winnerFirstPosition(position(v.salt, 'variant', v.unit), v.winnerStart);
      expect(p).toBe(v.rolloutPosition);
      expect(inRollout(p, v.percent)).toBe(v.in);
    }
  });

  it('has layer memberships', () => {
    for (const v of vectors.layer) {
      const p = position(v.layer, 'layer', v.unit);
      expect(v.ranges.find((r) => inLayerRange(p, r))?.id ?? null).toBe(v.member);
    }
  });

  it('has full flag evaluations', () => {
    const snapshot = vectors.evaluation.snapshot as unknown as ConfigSnapshot;
    for (const c of vectors.evaluation.evaluateFlag) {
      const result =
        'defaultValue' in c
          ? evaluateFlag(snapshot, c.flag, c.context, c.defaultValue as never)
          : evaluateFlag(snapshot, c.flag, c.context);
      expect(pick(result, c.expected), `${c.flag} ${JSON.stringify(c.context)}`).toEqual(
        c.expected,
      );
    }
  });

  it('has experiment assignments', () => {
    const snapshot = vectors.evaluation.snapshot as unknown as ConfigSnapshot;
    for (const c of vectors.evaluation.assignExperiment) {
      const result = assignExperiment(snapshot, c.experiment, c.context);
      expect(pick(result, c.expected), `${c.experiment} ${JSON.stringify(c.context)}`).toEqual(
        c.expected,
      );
    }
    const reasons = new Set(vectors.evaluation.assignExperiment.map((c) => c.expected.reason));
    expect(reasons.size).toBe(8);
  });
});
