import { EXPOSURE_EVENT } from '@switchyard/core';
import { EventSchema } from '@switchyard/core/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEvents, parseEvent, toStoredEvent } from '../src/ingest/event-batch';

/** Event-like values: mostly near-valid, with every field sometimes wrong or missing. */
const eventLike = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 130 }), fc.integer()),
    type: fc.oneof(fc.constant(EXPOSURE_EVENT), fc.constantFrom('signup', ''), fc.integer()),
    timestamp: fc.oneof(
      fc.integer({ min: -5, max: 2e12 }),
      fc.constantFrom('2026-03-02T09:00:00Z', '2026-03-02T09:00:00+01:00', 'yesterday'),
    ),
    unit: fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null)),
    properties: fc.oneof(
      fc.record(
        {
          experiment: fc.oneof(fc.constantFrom('experiment_abc', ''), fc.integer()),
          variant: fc.constantFrom('control', ''),
          amount: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    ),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('parseEvent', () => {
  it("gives core's EventSchema verdict and output, for anything", () => {
    fc.assert(
      fc.property(fc.oneof(eventLike, fc.anything()), (candidate) => {
        const fast = parseEvent(candidate);
        const core = EventSchema.safeParse(candidate);
        expect(fast.success).toBe(core.success);
        if (core.success) expect(fast.data).toEqual(core.data);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the valid events of a batch and names the invalid ones', () => {
    const { valid, rejected } = checkEvents([{ id: 'a', type: 't' }, 7, { id: 'b' }]);
    expect(valid).toEqual([{ id: 'a', type: 't' }]);
    expect(rejected.map((r) => [r.index, r.id])).toEqual([
      [1, undefined],
      [2, 'b'],
    ]);
  });

  it('stores the time the event gives, or the time it arrived', () => {
    const received = new Date('2026-03-02T09:00:00.000Z');
    const at = (timestamp?: number | string) =>
      toStoredEvent(
        { id: 'a', type: 't', ...(timestamp === undefined ? {} : { timestamp }) },
        'development',
        received,
      ).timestamp;
    expect(at()).toBe(received.getTime());
    expect(at(5)).toBe(5);
    expect(at('2026-03-02T10:00:00+01:00')).toBe(received.getTime());
  });
});
