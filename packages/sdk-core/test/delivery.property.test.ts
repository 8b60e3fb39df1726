import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

type Action =
  | { kind: 'track'; count: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'socket'; down: boolean }
  | { kind: 'http'; down: boolean }
  | { kind: 'drop' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('track' as const), count: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
  fc.record({ kind: fc.constant('socket' as const), down: fc.boolean() }),
  fc.record({ kind: fc.constant('http' as const), down: fc.boolean() }),
  fc.record({ kind: fc.constant('drop' as const) }),
);

const fate = fc.constantFrom(
  'ack' as const,
  'ack' as const,
  'store-only' as const,
  'lose' as const,
);

describe('event delivery under failures', () => {
  it('stores every tracked event exactly once, whatever is lost, dropped or retried', async () => {
    let retried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { maxLength: 25 }),
        fc.array(fate, { minLength: 1, maxLength: 20 }),
        async (actions, fates) => {
          const server = new FakeServer(sampleSnapshot());
          let n = 0;
          server.onBatch = () => fates[n++ % fates.length]!;
          const { client, clock } = testClient(
            {
              events: {
                batchSize: 5,
                flushIntervalMs: 500,
                ackTimeoutMs: 2000,
                retry: { baseMs: 100, maxMs: 2000 },
              },
              reconnect: { baseMs: 100, maxMs: 2000 },
              requestTimeoutMs: 2000,
            },
            {},
            server,
          );
          let tracked = 0;
          await settle();
          for (const a of actions) {
            if (a.kind === 'track') {
              for (let i = 0; i < a.count; i++) client.track('click', { userId: `u${tracked++}` });
            } else if (a.kind === 'wait') clock.advance(a.ms);
            else if (a.kind === 'socket') server.socketDown = a.down;
            else if (a.kind === 'http') server.httpDown = a.down;
            else server.live?.drop(1006);
            await settle();
          }
          // Heal the network and let every retry run.
          server.socketDown = server.httpDown = false;
          server.onBatch = () => 'ack';
          let flushed: boolean | undefined;
          void client.flush({ timeoutMs: 600_000 }).then((d) => (flushed = d));
          // Steps of at most a second, each long enough in microtasks for a chain of batches:
          // jumping to the next timer could skip to the flush's own deadline while acks are due.
          for (let i = 0; i < 500 && flushed === undefined; i++) {
            clock.advance(Math.min(clock.nextTimerIn() ?? 100, 1000));
            await settle(100);
          }
          expect(flushed).toBe(true);
          // Each tracked event (one unit each) is stored once: none lost, none counted twice.
          const units = [...server.stored.values()].map((e) => e.unit).sort();
          expect(units).toEqual(Array.from({ length: tracked }, (_, i) => `u${i}`).sort());
          expect(client.pendingEvents).toBe(0);
          expect(client.dropped).toBe(0);
          retried += server.duplicates;
          await client.close({ timeoutMs: 0 });
        },
      ),
      { numRuns: 60 },
    );
    // The runs did exercise redelivery of events the server already had.
    expect(retried).toBeGreaterThan(0);
  });
});
