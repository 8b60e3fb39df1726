import { describe, expect, it } from 'vitest';
import { failureOfErrorCode } from '../src';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

describe('events over the socket', () => {
  it('resolves a batch on the ack with its batchId only', async () => {
    const { client, server } = testClient();
    await client.ready();
    server.withholdAcks = true;
    client.track('a', { userId: 'u' });
    let flushed: boolean | undefined;
    void client.flush().then((d) => (flushed = d));
    await settle();
    const sent = server.live!.received.find((m) => m.type === 'events')!;
    server.live!.push({ type: 'ack', batchId: 'someone-else', accepted: 1 });
    await settle();
    expect(flushed).toBeUndefined();
    server.live!.push({ type: 'ack', batchId: sent.batchId as string, accepted: 1 });
    await settle();
    expect(flushed).toBe(true);
  });

  it('resends the same batch when the ack does not come in time', async () => {
    const { client, server, clock } = testClient({
      events: { ackTimeoutMs: 1000, retry: { baseMs: 100, maxMs: 100 } },
    });
    await client.ready();
    server.withholdAcks = true;
    client.track('a', { userId: 'u' });
    void client.flush();
    await settle();
    clock.advance(1000);
    await settle();
    server.withholdAcks = false;
    clock.advance(100);
    await settle();
    const batches = server.live!.received.filter((m) => m.type === 'events');
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual(batches[0]);
    expect(server.stored.size).toBe(1);
    expect(server.duplicates).toBe(1);
    expect(client.pendingEvents).toBe(0);
  });

  it('resends over the next connection when the socket drops before the ack', async () => {
    const { client, server, clock } = testClient({ transport: 'socket' });
    await client.ready();
    server.withholdAcks = true;
    client.track('a', { userId: 'u' });
    void client.flush();
    await settle();
    server.live!.drop(1006);
    server.withholdAcks = false;
    for (let i = 0; i < 5 && client.pendingEvents > 0; i++) {
      clock.advance(clock.nextTimerIn() ?? 0);
      await settle();
    }
    expect(client.pendingEvents).toBe(0);
    expect(server.stored.size).toBe(1);
  });

  it('without an HTTP poster, keeps a batch while the socket is down and sends it as soon as it is live', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = true;
    const { client, clock } = testClient(
      {
        reconnect: { baseMs: 1000, maxMs: 1000 },
        events: { batchSize: 1, retry: { baseMs: 3_600_000, maxMs: 3_600_000 } },
      },
      { eventPoster: undefined },
      server,
    );
    await settle();
    client.track('a', { userId: 'u' });
    await settle();
    expect(server.httpRequests).toEqual([]);
    expect(client.pendingEvents).toBe(1);
    server.socketDown = false;
    // The reconnect (at most 1 s) comes long before the batch's retry (at least 30 min).
    clock.advance(1000);
    await settle();
    expect(client.sync?.live).toBe(true);
    expect(client.pendingEvents).toBe(0);
    expect(server.batches.map((b) => b.via)).toEqual(['socket']);
  });

  it('maps error codes about a batch to retry, split or drop', () => {
    expect(failureOfErrorCode('rate_limited')).toBe('retry');
    expect(failureOfErrorCode('store_unavailable')).toBe('retry');
    expect(failureOfErrorCode('payload_too_large')).toBe('too-large');
    expect(failureOfErrorCode('bad_request')).toBe('invalid');
  });
});
