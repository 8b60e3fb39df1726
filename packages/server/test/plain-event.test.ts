import { EXPOSURE_EVENT } from '@switchyard/core';
import { EventSchema } from '@switchyard/core/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlainEvent } from '../src/ingest/plain-event';

/** Mostly `valid`, sometimes `invalid`: each event is then often valid as a whole. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid, weight: 1 });

const text = (max: number) =>
  mostly(fc.string({ minLength: 1, maxLength: max }), fc.constantFrom('', 'x'.repeat(max + 1)));

/**
 * Events as SDKs send them, every field sometimes wrong or missing; mostly through JSON (a
 * `duration` sometimes named `__proto__` there), sometimes as they are (NaN, Infinity).
 */
const sdkEvent = fc
  .record(
    {
      id: text(128),
      type: fc.oneof(fc.constant(EXPOSURE_EVENT), text(200)),
      timestamp: mostly(
        fc.integer({ min: 0, max: 2e12 }),
        fc.constantFrom(-1, 2 ** 53 - 1, 2 ** 53, 1.5, '2026-03-02T09:00:00Z'),
      ),
      unit: mostly(text(512), fc.constant(null)),
      properties: mostly(
        fc.oneof(
          fc
            .record(
              {
                experiment: mostly(fc.constant('experiment_abc'), fc.constantFrom('', 7)),
                variant: mostly(fc.constant('control'), fc.constant('')),
                flag: mostly(fc.constant('checkout'), fc.constantFrom('', null)),
                duration: mostly(
                  fc.jsonValue({ maxDepth: 3 }),
                  fc.constantFrom(NaN, -Infinity, [Infinity]),
                ),
              },
              { requiredKeys: ['experiment', 'variant'] },
            )
            // Some send their keys in another order.
            .chain((p) =>
              fc.shuffledSubarray(Object.entries(p), { minLength: Object.keys(p).length }),
            )
            .map((entries) => Object.fromEntries(entries)),
          fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })),
        ),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      extra: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: ['id', 'type'] },
  )
  .chain((e) => fc.tuple(fc.constant(e), fc.nat(9)))
  .map(([e, n]): unknown => {
    if (n === 0) return e;
    const json = JSON.stringify(e);
    return JSON.parse(n === 1 ? json.replace('"duration":', '"__proto__":') : json);
  });

describe('readPlainEvent', () => {
  it("answers only with core's EventSchema verdict and output, keys in the same order", () => {
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(sdkEvent, fc.anything()), (candidate) => {
        const plain = readPlainEvent(candidate);
        if (plain === undefined) return;
        read++;
        const core = EventSchema.safeParse(candidate);
        expect(core.success).toBe(true);
        // Same keys in the same order at every level: stored as the same JSON text.
        expect(JSON.stringify(plain)).toBe(JSON.stringify(core.data));
        expect(plain).toStrictEqual(core.data);
      }),
      { numRuns: 5000 },
    );
    // The generator is made to hit the fast path often, or this property says little.
    expect(read).toBeGreaterThan(500);
  });

  it('reads the events SDKs send without the schema, exposures and tracks alike', () => {
    const exposure = {
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      type: EXPOSURE_EVENT,
      timestamp: 1_760_000_000_000,
      unit: 'user-1',
      properties: { experiment: 'experiment_xN4yKpTm', variant: 'simplified' },
    };
    const track = {
      id: '01890a5d-ac96-774b-bcce-b302099a8058',
      type: 'onboarding.completed',
      unit: 'user-1',
      properties: { experiment: 'experiment_xN4yKpTm', variant: 'simplified', duration: 45 },
    };
    expect(readPlainEvent(exposure)).toEqual(exposure);
    expect(readPlainEvent(track)).toEqual(track);
    expect(readPlainEvent({ id: 'a', type: 't' })).toEqual({ id: 'a', type: 't' });
  });

  it('leaves to the schema what it does not read plainly, valid or not', () => {
    const cases: unknown[] = [
      { id: 'a', type: 't', timestamp: '2026-03-02T09:00:00Z' }, // valid: ISO time
      { id: 'a', type: 't', unit: undefined }, // valid: the schema keeps the key
      { id: 'a', type: 't', timestamp: undefined }, // valid: the schema keeps the key
      { id: 'a', type: 't', properties: undefined }, // valid: the schema keeps the key
      { id: 'a', type: 't', properties: Object.create(null) as object }, // valid
      { id: 'a', type: 't', properties: { at: new Date(0) } }, // invalid
      { id: 'a', type: EXPOSURE_EVENT, unit: 'u', properties: { experiment: 'e' } }, // invalid
      { id: '', type: 't' }, // invalid
      [{ id: 'a', type: 't' }], // invalid
    ];
    for (const candidate of cases) expect(readPlainEvent(candidate)).toBeUndefined();
  });
});
