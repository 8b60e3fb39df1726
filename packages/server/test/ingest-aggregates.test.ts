import { EXPOSURE_EVENT } from '@switchyard/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Experiment } from '../src/entities/experiment/schema';
import { ExposureMemory } from '../src/ingest/exposure-memory';
import type { MetricCatalog } from '../src/ingest/metric-catalog';
import { readMetricCatalog } from '../src/ingest/metric-catalog';
import { EXPOSURES_METRIC, storeBatches } from '../src/ingest/store-batches';
import type { PendingBatch } from '../src/ingest/store-batches';
import { Switchyard } from '../src/service/switchyard';
import type { AggregateRow } from '../src/store/ingest-queries';
import type { StoredEvent } from '../src/store/records';
import type { Store } from '../src/store/store';
import { ENGINES } from './support/engines';
import type { OpenedStore } from './support/engines';
import { TestClock } from './support/switchyard';

/** The metrics every test experiment measures, by kind. */
const METRICS = [
  { name: 'converted', kind: 'conversion', event: 'signup' },
  { name: 'spend', kind: 'mean', event: 'purchase', property: 'amount', aggregate: 'sum' },
  { name: 'basket', kind: 'mean', event: 'purchase', property: 'amount' },
  { name: 'views', kind: 'count', event: 'view' },
  { name: 'big', kind: 'conversion', event: 'purchase', condition: { amount: { $gte: 50 } } },
] as const;
const VARIANTS = ['control', 'treatment'] as const;

/** A store with the metrics defined, where each test makes its own running experiment. */
class Bench {
  readonly memory = new ExposureMemory();

  private constructor(
    readonly opened: OpenedStore,
    readonly sy: Switchyard,
  ) {}

  static async open(engine: (typeof ENGINES)[number]): Promise<Bench> {
    const clock = new TestClock();
    const opened = await engine.open(clock.now);
    const sy = new Switchyard({ store: opened.store, clock });
    await sy.environments.create('development', clock.now());
    for (const m of METRICS) await sy.$.Metric.define({ ...m });
    return new Bench(opened, sy);
  }

  get store(): Store {
    return this.opened.store;
  }

  async experiment(): Promise<{ id: string; catalogs: Map<string, MetricCatalog> }> {
    const e = (await this.sy.$.Experiment.create({
      name: 'Exactly once',
      variants: VARIANTS.map((key) => ({ key, weight: 1 })),
      metric: 'converted',
      secondaryMetrics: ['spend', 'basket', 'views', 'big'],
    })) as Experiment;
    await this.sy.$.Experiment.start({ id: e.$id });
    const catalog = await this.store.read((r) => readMetricCatalog(r, 'development'));
    return { id: e.$id, catalogs: new Map([['development', catalog]]) };
  }

  /** Stores groups of batches, each group in one transaction, as the group commit does. */
  async deliver(catalogs: Map<string, MetricCatalog>, groups: StoredEvent[][][]) {
    const counts = { accepted: 0, duplicates: 0 };
    for (const group of groups) {
      const batches: PendingBatch[] = group.map((events) => ({
        environment: 'development',
        events,
      }));
      // Through an exposure memory, as the ingestor does: later groups skip known exposures.
      const stored = await this.store.transaction((tx) =>
        storeBatches(tx.ingest, catalogs, batches, this.memory),
      );
      this.memory.add(stored.exposures);
      for (const c of stored.counts) {
        counts.accepted += c.accepted;
        counts.duplicates += c.duplicates;
      }
    }
    return counts;
  }

  aggregates(experiment: string): Promise<AggregateRow[]> {
    return this.store.read((r) => r.ingest.aggregates(experiment));
  }
}

function event(id: string, type: string, unit: string | null, properties = {}): StoredEvent {
  return {
    id,
    environment: 'development',
    type,
    unit,
    timestamp: 0,
    receivedAt: '2026-01-01T00:00:00.000Z',
    properties,
  };
}

/**
 * What the aggregates must be, from their definition rather than by increments: each event id
 * counts once, at its first arrival; a unit's first exposure fixes its variant; a unit's events
 * count from its exposure on; per unit its value (converted, count, sum or mean of amounts), then
 * per variant the units, the units with a value, and the sum and sum of squares of the values.
 */
function expectedAggregates(experiment: string, arrivals: readonly StoredEvent[]): AggregateRow[] {
  const seen = new Set<string>();
  const variantOf = new Map<string, string>();
  const perUnit = new Map<string, { events: number; total: number }>();
  for (const e of arrivals) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.unit === null) continue;
    const p = e.properties as Record<string, unknown>;
    if (
      p.experiment === experiment &&
      VARIANTS.includes(p.variant as never) &&
      !variantOf.has(e.unit)
    ) {
      variantOf.set(e.unit, p.variant as string);
    }
    if (!variantOf.has(e.unit)) continue;
    for (const m of METRICS) {
      if (m.event !== e.type) continue;
      if (m.name === 'big' && !((p.amount as number) >= 50)) continue;
      const amount = m.kind === 'mean' ? p.amount : 1;
      if (typeof amount !== 'number') continue;
      const k = `${m.name}/${e.unit}`;
      const s = perUnit.get(k) ?? { events: 0, total: 0 };
      perUnit.set(k, { events: s.events + 1, total: s.total + amount });
    }
  }
  const rows: AggregateRow[] = [];
  for (const metric of [EXPOSURES_METRIC, ...METRICS.map((m) => m.name)]) {
    const m = METRICS.find((x) => x.name === metric);
    for (const variant of VARIANTS) {
      const units = [...variantOf].filter(([, v]) => v === variant).map(([u]) => u);
      if (units.length === 0) continue;
      const row: AggregateRow = {
        experiment,
        metric,
        variant,
        units: units.length,
        observed: 0,
        conversions: 0,
        sum: 0,
        sumSquares: 0,
      };
      for (const unit of units) {
        const s = perUnit.get(`${metric}/${unit}`);
        if (!m || !s) continue;
        const value =
          m.kind === 'conversion'
            ? 1
            : m.kind === 'count'
              ? s.events
              : 'aggregate' in m
                ? s.total
                : s.total / s.events;
        row.observed++;
        if (m.kind === 'conversion') row.conversions++;
        row.sum += value;
        row.sumSquares += value * value;
      }
      rows.push(row);
    }
  }
  return rows;
}

function byRow(a: AggregateRow, b: AggregateRow): number {
  const x = `${a.metric}\u0000${a.variant}`;
  const y = `${b.metric}\u0000${b.variant}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function expectSameAggregates(actual: AggregateRow[], expected: AggregateRow[]): void {
  const got = [...actual].sort(byRow);
  const want = [...expected].sort(byRow);
  expect(got.map(({ sum, sumSquares, ...rest }) => rest)).toEqual(
    want.map(({ sum, sumSquares, ...rest }) => rest),
  );
  got.forEach((row, i) => {
    // Per-unit means are kept by increments (v' − v), so their sums may differ in the last bits.
    expect(row.sum).toBeCloseTo(want[i]!.sum, 6);
    expect(row.sumSquares).toBeCloseTo(want[i]!.sumSquares, 6);
  });
}

for (const engine of ENGINES) {
  describe(`ingestion aggregates on ${engine.name}`, () => {
    let bench: Bench;
    beforeAll(async () => {
      bench = await Bench.open(engine);
    });
    afterAll(async () => {
      await bench.sy.close();
      await bench.opened.dispose();
    });

    it('counts a unit once, in its first variant, and its events only after its exposure', async () => {
      const { id, catalogs } = await bench.experiment();
      const x = (variant: string) => ({ experiment: id, variant });
      const arrivals = [
        event('e1', 'signup', 'early'), // before its exposure: not attributed
        event('e2', EXPOSURE_EVENT, 'early', x('control')),
        event('e3', EXPOSURE_EVENT, 'early', x('treatment')), // a second exposure changes nothing
        event('e4', 'signup', 'early'),
        event('e5', 'signup', 'early'), // converted once
        event('e6', 'purchase', 'early', { amount: 10 }),
        event('e7', 'purchase', 'early', { amount: 60 }),
        event('e8', 'purchase', 'early', { amount: 'lots' }), // not a number: no value
        event('e9', 'signup', 'seed', x('treatment')), // the seed's form: exposure and conversion
        event('e10', 'view', 'seed'),
        event('e11', 'view', 'seed'),
        event('e12', 'view', 'seed'),
        event('e13', 'view', null, x('control')), // no unit: stored, not counted
        event('e14', EXPOSURE_EVENT, 'other', {
          experiment: 'experiment_unknown',
          variant: 'control',
        }),
        event('e15', EXPOSURE_EVENT, 'odd', x('no-such-variant')),
      ];
      const counts = await bench.deliver(catalogs, [
        [arrivals.slice(0, 7)],
        [arrivals.slice(7), arrivals.slice(0, 3)],
      ]);
      expect(counts).toEqual({ accepted: 15, duplicates: 3 });
      const rows = await bench.aggregates(id);
      expectSameAggregates(rows, expectedAggregates(id, arrivals));
      const row = (metric: string, variant: string) =>
        rows.find((r) => r.metric === metric && r.variant === variant);
      expect(row('converted', 'control')).toMatchObject({ units: 1, conversions: 1, sum: 1 });
      expect(row('spend', 'control')).toMatchObject({
        units: 1,
        observed: 1,
        sum: 70,
        sumSquares: 4900,
      });
      expect(row('basket', 'control')).toMatchObject({ observed: 1, sum: 35, sumSquares: 1225 });
      expect(row('big', 'control')).toMatchObject({ conversions: 1 });
      expect(row('views', 'treatment')).toMatchObject({ units: 1, sum: 3, sumSquares: 9 });
      expect(row('converted', 'treatment')).toMatchObject({ units: 1, conversions: 1 });
    });
  });
}

describe('ingestion counts exactly once', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await Bench.open(ENGINES[0]!);
  });
  afterAll(async () => {
    await bench.sy.close();
    await bench.opened.dispose();
  });

  const units = fc.constantFrom('u1', 'u2', 'u3', 'u4');
  const kind = fc.oneof(
    fc.record({ type: fc.constant(EXPOSURE_EVENT), variant: fc.constantFrom(...VARIANTS) }),
    fc.record({ type: fc.constant('signup') }),
    fc.record({ type: fc.constant('signup'), variant: fc.constantFrom(...VARIANTS) }),
    fc.record({ type: fc.constant('purchase'), amount: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ type: fc.constant('view') }),
  );
  const scenario = fc.record({
    events: fc.array(fc.record({ unit: units, kind }), { minLength: 1, maxLength: 40 }),
    batchSize: fc.integer({ min: 1, max: 8 }),
    /** Extra deliveries of batches (retries), by index modulo the batch count. */
    retries: fc.array(fc.nat(), { maxLength: 10 }),
    /** Shuffle keys of the deliveries, and where the groups (transactions) end. */
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
    cuts: fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
  });
  let run = 0;

  it('gives the aggregates of the first arrivals, whatever the duplication, order and grouping of batches', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { id, catalogs } = await bench.experiment();
        const prefix = `r${run++}-`;
        const events = s.events.map((e, i) =>
          event(`${prefix}${i}`, e.kind.type, e.unit, {
            ...('variant' in e.kind ? { experiment: id, variant: e.kind.variant } : {}),
            ...('amount' in e.kind ? { amount: e.kind.amount } : {}),
          }),
        );
        const batches: StoredEvent[][] = [];
        for (let i = 0; i < events.length; i += s.batchSize)
          batches.push(events.slice(i, i + s.batchSize));
        const deliveries = [...batches.keys(), ...s.retries.map((r) => r % batches.length)]
          .map((b, i) => ({ b, key: s.order[i % s.order.length]! }))
          .sort((x, y) => x.key - y.key)
          .map((d) => batches[d.b]!);
        const groups: StoredEvent[][][] = [[]];
        deliveries.forEach((d, i) => {
          groups[groups.length - 1]!.push(d);
          if (s.cuts[i % s.cuts.length]) groups.push([]);
        });
        const counts = await bench.deliver(
          catalogs,
          groups.filter((g) => g.length > 0),
        );
        const sent = deliveries.reduce((n, d) => n + d.length, 0);
        expect(counts).toEqual({ accepted: events.length, duplicates: sent - events.length });
        expectSameAggregates(await bench.aggregates(id), expectedAggregates(id, deliveries.flat()));
      }),
      { numRuns: 80 },
    );
  });

  it('gives the same aggregates for any order of the other batches once the exposures are in', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        async (s, perm) => {
          const results: AggregateRow[][] = [];
          for (const reorder of [false, true]) {
            const { id, catalogs } = await bench.experiment();
            const prefix = `p${run++}-`;
            const exposures = VARIANTS.flatMap((variant, v) =>
              ['u1', 'u2', 'u3', 'u4']
                .filter((_, u) => u % 2 === v)
                .map((unit) =>
                  event(`${prefix}x-${unit}`, EXPOSURE_EVENT, unit, { experiment: id, variant }),
                ),
            );
            const others = s.events.map((e, i) =>
              event(
                `${prefix}${i}`,
                e.kind.type,
                e.unit,
                'amount' in e.kind ? { amount: e.kind.amount } : {},
              ),
            );
            let batches: StoredEvent[][] = [];
            for (let i = 0; i < others.length; i += s.batchSize)
              batches.push(others.slice(i, i + s.batchSize));
            if (reorder) {
              batches = batches
                .map((b, i) => ({ b, key: perm[i % perm.length]! }))
                .sort((x, y) => x.key - y.key)
                .map((x) => x.b);
              batches.push(...batches.slice(0, s.retries.length % (batches.length + 1)));
            }
            await bench.deliver(catalogs, [[exposures], ...batches.map((b) => [b])]);
            results.push((await bench.aggregates(id)).map((r) => ({ ...r, experiment: '' })));
          }
          expectSameAggregates(results[1]!, results[0]!);
        },
      ),
      { numRuns: 40 },
    );
  });
});
