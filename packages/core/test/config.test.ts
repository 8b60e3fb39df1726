import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, clientView, emptySnapshot } from '../src/config';
import type { ConfigDelta } from '../src/config';
import { evaluateFlag } from '../src/flags';
import type { ConfigChange, ConfigSnapshot } from '../src/schema/config';
import { booleanFlag, experiment, snapshotOf } from './support/fixtures';

describe('emptySnapshot', () => {
  it('is version 0 of an environment with nothing in it', () => {
    expect(emptySnapshot('production')).toEqual({
      version: 0,
      environment: 'production',
      flags: {},
      experiments: {},
      segments: {},
    });
  });
});

const change: fc.Arbitrary<ConfigChange> = fc.oneof(
  fc.record({
    kind: fc.constant('flag' as const),
    key: fc.constantFrom('a', 'b', 'c', '__proto__'),
    value: fc.option(fc.boolean().map((enabled) => booleanFlag('x', { enabled }))),
  }),
  fc.record({
    kind: fc.constant('experiment' as const),
    key: fc.constantFrom('e1', 'e2'),
    value: fc.option(
      fc
        .constantFrom('Running', 'Paused')
        .map((s) => experiment('e', ['a', 'b'], { status: s as 'Running' })),
    ),
  }),
  fc.record({
    kind: fc.constant('segment' as const),
    key: fc.constantFrom('s1', 's2'),
    value: fc.option(fc.integer().map((n) => ({ n }))),
  }),
);

describe('applyDelta', () => {
  const start = snapshotOf(
    { flags: [booleanFlag('a')], experiments: [experiment('e1', ['a', 'b'])] },
    4,
  );

  it('adds, replaces and removes entities and takes the delta version', () => {
    const next = applyDelta(start, {
      from: 4,
      to: 6,
      changes: [
        { kind: 'flag', key: 'b', value: booleanFlag('b') },
        { kind: 'flag', key: 'a', value: null },
        { kind: 'segment', key: 'staff', value: { staff: true } },
      ],
    })!;
    expect(next.version).toBe(6);
    expect(Object.keys(next.flags)).toEqual(['b']);
    expect(next.segments).toEqual({ staff: { staff: true } });
    expect(next.experiments).toBe(start.experiments);
  });

  it('returns null on a gap or a delta going backwards', () => {
    expect(applyDelta(start, { from: 3, to: 5, changes: [] })).toBeNull();
    expect(applyDelta(start, { from: 5, to: 6, changes: [] })).toBeNull();
    expect(applyDelta(start, { from: 4, to: 3, changes: [] })).toBeNull();
  });

  it('does not touch its input', () => {
    fc.assert(
      fc.property(fc.array(change), (changes) => {
        const before = structuredClone(start);
        applyDelta(start, { from: 4, to: 5, changes });
        expect(start).toEqual(before);
      }),
    );
  });

  it('equals applying the composed changes when deltas are applied one after another', () => {
    fc.assert(
      fc.property(fc.array(change), fc.array(change), (first, second) => {
        const stepwise = applyDelta(applyDelta(start, { from: 4, to: 5, changes: first })!, {
          from: 5,
          to: 7,
          changes: second,
        });
        const composed = applyDelta(start, { from: 4, to: 7, changes: [...first, ...second] });
        expect(stepwise).toEqual(composed);
      }),
    );
  });

  it('keeps a key such as __proto__ as an ordinary own entry', () => {
    const next = applyDelta(start, {
      from: 4,
      to: 5,
      changes: [{ kind: 'flag', key: '__proto__', value: booleanFlag('__proto__') }],
    })!;
    expect(Object.hasOwn(next.flags, '__proto__')).toBe(true);
    expect(evaluateFlag(next, '__proto__', {}, true).variant).toBe('off');
    expect(Object.getPrototypeOf(next.flags)).toBe(Object.prototype);
  });

  it('shares unchanged entities so compiled flags stay cached', () => {
    const delta: ConfigDelta = {
      from: 4,
      to: 5,
      changes: [{ kind: 'segment', key: 's', value: {} }],
    };
    expect(applyDelta(start, delta)!.flags.a).toBe(start.flags.a);
  });
});

describe('clientView', () => {
  const snapshot: ConfigSnapshot = snapshotOf({
    flags: [
      booleanFlag('public', { rules: [{ condition: { $inSegment: 'beta' }, variant: 'on' }] }),
      booleanFlag('vip', {
        serverOnly: true,
        rules: [{ condition: { $inSegment: ['vips'] }, variant: 'on' }],
      }),
      booleanFlag('child', {
        offVariant: 'off',
        prerequisites: [{ flag: 'vip', variants: ['on'] }],
      }),
    ],
    experiments: [
      experiment('e1', ['a', 'b'], { audience: { $nor: [{ $notInSegment: 'internal' }] } }),
    ],
    segments: {
      beta: { $or: [{ beta: true }, { $inSegment: 'staff' }] },
      staff: { email: { $regex: '@corp$' } },
      vips: { email: { $in: ['ceo@corp'] } },
      internal: { internal: true },
      unused: { x: 1 },
    },
  });
  const view = clientView(snapshot);

  it('drops server-only flags', () => {
    expect(Object.keys(view.flags).sort()).toEqual(['child', 'public']);
    expect(view.experiments).toBe(snapshot.experiments);
    expect(view.version).toBe(snapshot.version);
  });

  it('keeps only the segments client flags and experiments use, transitively', () => {
    expect(Object.keys(view.segments).sort()).toEqual(['beta', 'internal', 'staff']);
  });

  it('serves a flag whose prerequisite is server-only as disabled', () => {
    expect(evaluateFlag(view, 'child', { email: 'ceo@corp' }, true)).toMatchObject({
      value: false,
      reason: 'DISABLED',
      errorCode: 'PREREQUISITE_FAILED',
    });
  });

  it('does not change the snapshot', () => {
    expect(Object.keys(snapshot.flags)).toHaveLength(3);
    expect(Object.keys(snapshot.segments)).toHaveLength(5);
  });
});
