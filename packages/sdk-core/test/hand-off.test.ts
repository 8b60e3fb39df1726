import { describe, expect, it } from 'vitest';
import { MemoryEventQueueStorage } from '../src';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

describe('handing events off to another delivery (unload beacons)', () => {
  it('lists unsent events, in flight first, and forgets those handed off in queue and storage', async () => {
    const storage = new MemoryEventQueueStorage();
    const server = new FakeServer(sampleSnapshot());
    server.withholdAcks = true;
    const { client } = testClient(
      { events: { batchSize: 2, flushIntervalMs: 60_000 } },
      { eventStorage: storage },
      server,
    );
    await client.ready();
    await settle();
    for (const type of ['a', 'b', 'c', 'd']) client.track(type, { userId: 'u' });
    await settle();
    // a and b went out as one batch and wait for their ack; c and d wait below the batch size.
    expect(server.batches).toHaveLength(1);
    const unsent = client.unsentEvents();
    expect(unsent.map((e) => e.type)).toEqual(['a', 'b', 'c', 'd']);

    client.handOffEvents(unsent.map((e) => e.id));
    await settle();
    expect(client.unsentEvents().map((e) => e.type)).toEqual(['a', 'b']);
    expect(((await storage.load()) as Array<{ type: string }>).map((e) => e.type)).toEqual([
      'a',
      'b',
    ]);
  });

  it('lets a flush resolve once the batch in flight settles, without sending what was handed off', async () => {
    const server = new FakeServer(sampleSnapshot());
    let attempts = 0;
    server.onBatch = () => (++attempts === 1 ? 'store-only' : 'ack');
    const { client, clock } = testClient(
      { events: { batchSize: 2, flushIntervalMs: 60_000, ackTimeoutMs: 1000 } },
      {},
      server,
    );
    await client.ready();
    await settle();
    for (const type of ['a', 'b', 'c']) client.track(type, { userId: 'u' });
    const flushed = client.flush({ timeoutMs: 60_000 });
    await settle();
    client.handOffEvents(client.unsentEvents().map((e) => e.id));
    // The ack never comes: the batch times out and is sent again, alone.
    for (let i = 0; i < 30; i++) {
      clock.advance(100);
      await settle();
    }
    expect(await flushed).toBe(true);
    expect([...server.stored.values()].map((e) => e.type)).toEqual(['a', 'b']);
    expect(server.batches.every((b) => b.ids.length === 2)).toBe(true);
  });
});
