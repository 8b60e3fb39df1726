import type { ConfigChange, ConfigSnapshot, FlagConfig } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../src';
import type { ConfigChangeEvent } from '../src';
import { booleanFlag, runningExperiment, sampleSnapshot } from './support/fixtures';

function storeWith(snapshot: ConfigSnapshot) {
  const store = new ConfigStore();
  const events: ConfigChangeEvent[] = [];
  store.subscribe((e) => events.push(e));
  store.replace(snapshot, 'bootstrap');
  events.length = 0;
  return { store, events };
}

describe('ConfigStore', () => {
  it('applies a delta that starts at its version', () => {
    const { store, events } = storeWith(sampleSnapshot(1));
    const outcome = store.applyDelta({
      type: 'delta',
      from: 1,
      to: 2,
      changes: [{ kind: 'flag', key: 'banner', value: null }],
    });
    expect(outcome).toBe('applied');
    expect(store.version).toBe(2);
    expect(store.snapshot?.flags.banner).toBeUndefined();
    expect(events).toEqual([
      {
        version: 2,
        previousVersion: 1,
        source: 'server',
        flags: ['banner'],
        experiments: [],
        segments: [],
      },
    ]);
  });

  it('refuses a delta that skips versions, and ignores one it already has', () => {
    const { store, events } = storeWith(sampleSnapshot(3));
    expect(store.applyDelta({ type: 'delta', from: 4, to: 5, changes: [] })).toBe('gap');
    expect(store.applyDelta({ type: 'delta', from: 2, to: 3, changes: [] })).toBe('stale');
    expect(store.applyDelta({ type: 'delta', from: 2, to: 4, changes: [] })).toBe('gap');
    expect(store.version).toBe(3);
    expect(events).toEqual([]);
    expect(new ConfigStore().applyDelta({ type: 'delta', from: 0, to: 1, changes: [] })).toBe(
      'gap',
    );
  });

  it('names flags that depend on a changed experiment, segment or prerequisite', () => {
    const base = sampleSnapshot(1);
    const gated: FlagConfig = booleanFlag('gated', true, {
      prerequisites: [{ flag: 'checkout', variants: ['treatment'] }],
    });
    const beta: FlagConfig = booleanFlag('beta', true, {
      rules: [{ condition: { $inSegment: 'testers' }, variant: 'off' }],
    });
    const { store, events } = storeWith({
      ...base,
      flags: { ...base.flags, gated, beta },
      experiments: {
        ...base.experiments,
        exp2: runningExperiment('exp2', { audience: { $inSegment: 'staff' } }),
      },
      segments: { testers: { $inSegment: 'staff' }, staff: { email: { $regex: '@corp$' } } },
    });
    store.applyDelta({
      type: 'delta',
      from: 1,
      to: 2,
      changes: [
        {
          kind: 'experiment',
          key: 'exp1',
          value: runningExperiment('exp1', { trafficAllocation: 10 }),
        },
      ],
    });
    expect(events[0]!.flags.sort()).toEqual(['checkout', 'gated']);
    store.applyDelta({
      type: 'delta',
      from: 2,
      to: 3,
      changes: [{ kind: 'segment', key: 'staff', value: { email: { $regex: '@corp.example$' } } }],
    });
    expect(events[1]!.flags).toEqual(['beta']);
    expect(events[1]!.experiments).toEqual(['exp2']);
    expect(events[1]!.segments.sort()).toEqual(['staff', 'testers']);
  });

  it('follows what a flag mentions as the flag changes from delta to delta', () => {
    const base = sampleSnapshot(1);
    const { store, events } = storeWith({
      ...base,
      segments: { staff: { email: { $regex: '@corp$' } }, testers: { country: 'NL' } },
    });
    const gatedBy = (segment: string) =>
      booleanFlag('beta', true, {
        rules: [{ condition: { $inSegment: segment }, variant: 'off' }],
      });
    const segment = (key: string, country: string) => ({
      kind: 'segment' as const,
      key,
      value: { country },
    });
    const deltas = [
      [{ kind: 'flag' as const, key: 'beta', value: gatedBy('staff') }],
      [segment('staff', 'BE')],
      [{ kind: 'flag' as const, key: 'beta', value: gatedBy('testers') }],
      [segment('staff', 'DE')],
      [segment('testers', 'FR')],
    ];
    deltas.forEach((changes, i) =>
      expect(store.applyDelta({ type: 'delta', from: i + 1, to: i + 2, changes })).toBe('applied'),
    );
    expect(events.map((e) => e.flags)).toEqual([['beta'], ['beta'], ['beta'], [], ['beta']]);
  });

  it('lists only what differs when a snapshot replaces another', () => {
    const { store, events } = storeWith(sampleSnapshot(1));
    const next = sampleSnapshot(2);
    next.flags.banner = booleanFlag('banner', false);
    next.flags.added = booleanFlag('added');
    store.replace(next, 'server');
    expect(events[0]!.flags.sort()).toEqual(['added', 'banner']);
    store.replace(structuredCloneJson(next), 'server');
    expect(events[1]!.flags).toEqual([]);
  });

  it('isolates a listener that throws', () => {
    const store = new ConfigStore();
    const seen: number[] = [];
    store.subscribe(() => {
      throw new Error('app bug');
    });
    store.subscribe((e) => seen.push(e.version));
    store.replace(sampleSnapshot(4), 'server');
    expect(seen).toEqual([4]);
  });
});

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('ConfigStore laws', () => {
  const key = fc.constantFrom('a', 'b', 'c', 'd', 'constructor');
  const change: fc.Arbitrary<ConfigChange> = fc.oneof(
    fc
      .record({
        kind: fc.constant('flag' as const),
        key,
        value: fc.option(fc.boolean(), { nil: null }),
      })
      .map(({ key: k, value }) => ({
        kind: 'flag' as const,
        key: k,
        value: value === null ? null : booleanFlag(k, value),
      })),
    fc
      .record({
        kind: fc.constant('experiment' as const),
        key,
        value: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      })
      .map(({ key: k, value }) => ({
        kind: 'experiment' as const,
        key: k,
        value: value === null ? null : runningExperiment(k, { trafficAllocation: value }),
      })),
    fc
      .record({
        kind: fc.constant('segment' as const),
        key,
        value: fc.option(fc.string(), { nil: null }),
      })
      .map(({ key: k, value }) => ({
        kind: 'segment' as const,
        key: k,
        value: value === null ? null : { country: value },
      })),
  );

  it('any sequence of deltas applied in order gives the server’s final snapshot', () => {
    fc.assert(
      fc.property(fc.array(fc.array(change, { maxLength: 5 }), { maxLength: 15 }), (deltas) => {
        const { store } = storeWith(sampleSnapshot(0));
        // The model: the server's state, mutated entity by entity.
        const model = structuredCloneJson(sampleSnapshot(0));
        const records = {
          flag: model.flags,
          experiment: model.experiments,
          segment: model.segments,
        } as const;
        deltas.forEach((changes, i) => {
          for (const c of changes) {
            const record = records[c.kind] as Record<string, unknown>;
            if (c.value === null) delete record[c.key];
            else
              Object.defineProperty(record, c.key, {
                value: c.value,
                enumerable: true,
                writable: true,
                configurable: true,
              });
          }
          model.version = i + 1;
          expect(store.applyDelta({ type: 'delta', from: i, to: i + 1, changes })).toBe('applied');
        });
        expect(structuredCloneJson(store.snapshot)).toEqual(structuredCloneJson(model));
      }),
    );
  });

  it('each change event names every flag whose config differs', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 8 }), (changes) => {
        const { store, events } = storeWith(sampleSnapshot(0));
        const before = structuredCloneJson(store.snapshot!);
        store.applyDelta({ type: 'delta', from: 0, to: 1, changes });
        const after = store.snapshot!;
        const keys = new Set([...Object.keys(before.flags), ...Object.keys(after.flags)]);
        for (const k of keys) {
          const own = (flags: Record<string, unknown>) =>
            Object.hasOwn(flags, k) ? flags[k] : undefined;
          if (JSON.stringify(own(before.flags)) !== JSON.stringify(own(after.flags))) {
            expect(events[0]!.flags).toContain(k);
          }
        }
      }),
    );
  });
});
