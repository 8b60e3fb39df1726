import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPOSURE_EVENT } from '@switchyard/core';
import type { IngestEvent } from '@switchyard/core/schema';
import type { Experiment } from '../src/entities/experiment/schema';
import type { Metric } from '../src/entities/metric/schema';
import { amountsAt, eventRows, exposureAt, toColumns } from '../src/ingest/counted-columns';
import { toCountedColumns, toStoredEvent } from '../src/ingest/event-batch';
import type { CountedEvent } from '../src/ingest/event-counting';
import { countEvent } from '../src/ingest/event-counting';
import { buildMetricCatalog } from '../src/ingest/metric-catalog';

const exposure = { experiment: 'experiment_a', variant: 'control', metrics: ['', 'signup'] };
const target = {
  experiment: 'experiment_a',
  metric: { name: 'signup', kind: 'conversion', aggregate: 'mean' },
} as const;

const counted: fc.Arbitrary<CountedEvent> = fc
  .record({
    id: fc.string({ minLength: 1 }),
    type: fc.string({ minLength: 1 }),
    unit: fc.option(fc.string({ minLength: 1 }), { nil: null }),
    timestamp: fc.integer({ min: 0, max: 2 ** 53 - 1 }),
    receivedAt: fc.constantFrom('2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.001Z'),
    propertiesJson: fc.jsonValue().map((v) => JSON.stringify({ v })),
    exposure: fc.option(fc.constant(exposure), { nil: undefined }),
    amounts: fc.option(
      fc.array(
        fc.double({ noNaN: true }).map((amount) => ({ target, amount })),
        { minLength: 1 },
      ),
      { nil: undefined },
    ),
  })
  .map(({ exposure, amounts, ...row }) => ({
    ...row,
    environment: 'development',
    ...(exposure ? { exposure } : {}),
    ...(amounts ? { amounts } : {}),
  }));

describe('counted columns', () => {
  it('hold each event of the batch they were made from: its row, exposure and amounts', () => {
    fc.assert(
      fc.property(fc.array(counted, { maxLength: 20 }), (events) => {
        const columns = toColumns({ environment: 'development', events });
        expect(eventRows(columns)).toStrictEqual(
          events.map(({ exposure: _e, amounts: _a, ...row }) => row),
        );
        expect(events.map((_, i) => exposureAt(columns, i))).toStrictEqual(
          events.map((e) => e.exposure),
        );
        expect(events.map((_, i) => amountsAt(columns, i))).toStrictEqual(
          events.map((e) => e.amounts),
        );
      }),
    );
  });

  it('send the receipt time once when the events share it', () => {
    const event = (id: string, receivedAt: string): CountedEvent => ({
      id,
      environment: 'development',
      type: 't',
      unit: null,
      timestamp: 1,
      receivedAt,
      propertiesJson: '{}',
    });
    const at = '2026-03-02T09:00:00.000Z';
    expect(
      toColumns({ environment: 'development', events: [event('a', at), event('b', at)] })
        .receivedAt,
    ).toBe(at);
  });

  it('made straight from valid events, hold what each event counts for as its row would', () => {
    const experiment = {
      $id: 'experiment_a',
      status: 'Running',
      metric: 'revenue',
      variants: [
        { key: 'control', weight: 1 },
        { key: 'treatment', weight: 1 },
      ],
    } as unknown as Experiment;
    const metrics = [
      { name: 'revenue', kind: 'mean', event: 'purchase', property: 'amount' },
      { name: 'signup', kind: 'conversion', event: 'signup' },
    ] as unknown as Metric[];
    const catalog = buildMetricCatalog(
      [{ ...experiment, metrics: ['signup'] } as Experiment],
      metrics,
    );
    const event: fc.Arbitrary<IngestEvent> = fc.record(
      {
        id: fc.string({ minLength: 1, maxLength: 8 }),
        type: fc.constantFrom(EXPOSURE_EVENT, 'purchase', 'signup', 'page_view'),
        unit: fc.string({ minLength: 1, maxLength: 4 }),
        timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
        properties: fc.record(
          {
            experiment: fc.constantFrom('experiment_a', 'experiment_b'),
            variant: fc.constantFrom('control', 'treatment', 'other'),
            amount: fc.oneof(fc.double({ noNaN: true }), fc.string()),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['id', 'type'] },
    ) as fc.Arbitrary<IngestEvent>;
    const received = new Date('2026-03-02T09:00:00.000Z');
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), fc.boolean(), (events, withCatalog) => {
        const used = withCatalog ? catalog : undefined;
        const reference = toColumns({
          environment: 'development',
          events: events.map((e) => countEvent(toStoredEvent(e, 'development', received), used)),
        });
        const straight = toCountedColumns(events, 'development', received, used);
        if (events.length === 0) reference.receivedAt = straight.receivedAt;
        expect(straight).toStrictEqual(reference);
      }),
    );
  });
});
