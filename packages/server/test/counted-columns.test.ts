import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventRows, toColumns } from '../src/ingest/counted-columns';
import type { CountedEvent } from '../src/ingest/event-counting';

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
        expect(columns.exposures).toStrictEqual(events.map((e) => e.exposure));
        expect(columns.amounts).toStrictEqual(events.map((e) => e.amounts));
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
});
