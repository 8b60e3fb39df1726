import { describe, expect, it } from 'vitest';
import { idbEventQueueStorage } from '../src';
import { httpFallback } from '../src/polling';
import { browserClient, FakeServer, freshKey, sampleSnapshot, until } from './support/harness';

const stored = async (key: string) =>
  ((await idbEventQueueStorage(key).load()) as Array<{ type: string }>).map((e) => e.type);

describe('the event queue in IndexedDB', () => {
  it('keeps events tracked offline across a reload and sends them, once, when back', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = server.httpDown = true;
    const key = freshKey(server);
    const first = browserClient(server, { key, exposures: false });
    first.client.track('signup', { userId: 'u1' }, { plan: 'pro' });
    first.client.track('purchase', { userId: 'u1' }, { amount: 30 });
    // The page goes away with the server still unreachable.
    expect(await first.client.close({ timeoutMs: 50 })).toBe(false);
    expect(await stored(key)).toEqual(['signup', 'purchase']);

    server.socketDown = server.httpDown = false;
    const second = browserClient(server, { key, exposures: false });
    expect(await second.client.flush({ timeoutMs: 2000 })).toBe(true);
    const types = [...server.stored.values()].map((e) => e.type).sort();
    expect(types).toEqual(['purchase', 'signup']);
    expect([...server.stored.values()].find((e) => e.type === 'purchase')).toMatchObject({
      unit: 'u1',
      properties: { amount: 30 },
    });
    await until(async () => (await stored(key)).length === 0);
    await second.client.close();
  });

  it('is bounded: past the bound the oldest events are dropped, counted and reported', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = server.httpDown = true;
    const key = freshKey(server);
    const { client, errors } = browserClient(server, {
      key,
      exposures: false,
      events: { maxQueueSize: 3 },
    });
    for (const type of ['a', 'b', 'c', 'd', 'e']) client.track(type, { userId: 'u' });
    expect(client.dropped).toBe(2);
    expect(client.pendingEvents).toBe(3);
    expect(errors.map((e) => e.code)).toContain('QUEUE_OVERFLOW');
    await client.close({ timeoutMs: 50 });
    expect(await stored(key)).toEqual(['c', 'd', 'e']);
  });

  it('sends queued events as soon as the browser is back online', async () => {
    const server = new FakeServer(sampleSnapshot());
    const key = freshKey(server);
    server.socketDown = server.httpDown = true;
    const { client } = browserClient(server, {
      key,
      exposures: false,
      transport: 'polling',
      pollIntervalMs: 3_600_000,
      events: { retry: { baseMs: 3_600_000, maxMs: 3_600_000 } },
      platform: httpFallback,
    });
    client.track('click', { userId: 'u' });
    await until(() => server.httpRequests.some((r) => r.init.method === 'POST'));
    server.httpDown = false;
    window.dispatchEvent(new Event('online'));
    await until(() => server.stored.size === 1);
    await client.close();
  });
});
