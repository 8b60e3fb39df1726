import type { TrackEvent } from '@switchyard/core/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idbEventQueueStorage } from '../src';
import { browserClient, FakeServer, freshKey, sampleSnapshot, until } from './support/harness';

interface Beacon {
  url: string;
  body: { batchId: string; events: TrackEvent[] };
}

/** Stubs navigator.sendBeacon (a browser boundary); accepted beacons reach `server` as HTTP batches. */
function stubBeacon(server: FakeServer, accept: (n: number) => boolean = () => true) {
  const beacons: Beacon[] = [];
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, data) => {
    expect(typeof data).toBe('string');
    const body = JSON.parse(data as string) as Beacon['body'];
    if (!accept(beacons.length)) return false;
    beacons.push({ url: String(url), body });
    server.ingest('http', body.batchId, body.events);
    return true;
  });
  return beacons;
}

function hide(): void {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(() => {
  vi.restoreAllMocks();
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
});

/** A live client whose events wait (a long flush interval) until the page goes away. */
async function waitingClient(server: FakeServer) {
  const key = freshKey(server);
  const t = browserClient(server, { key, exposures: false, events: { flushIntervalMs: 60_000 } });
  await t.client.ready();
  return { ...t, key };
}

describe('unload beacons', () => {
  it('send the queue on pagehide to /v1/events?key=…, as text, and leave the queue and IndexedDB', async () => {
    const server = new FakeServer(sampleSnapshot());
    const beacons = stubBeacon(server);
    const { client, key } = await waitingClient(server);
    client.track('signup', { userId: 'u1' });
    client.track('purchase', { userId: 'u1' }, { amount: 3 });
    window.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(1);
    expect(beacons[0]!.url).toBe(`http://flags.test/v1/events?key=${key}`);
    expect(beacons[0]!.body.events.map((e) => e.type)).toEqual(['signup', 'purchase']);
    expect(typeof beacons[0]!.body.batchId).toBe('string');
    expect(client.pendingEvents).toBe(0);
    await until(async () => (await idbEventQueueStorage(key).load()).length === 0);
    await client.close();
    expect(server.stored.size).toBe(2);
  });

  it('send when the page is hidden, and not twice for one visit', async () => {
    const server = new FakeServer(sampleSnapshot());
    const beacons = stubBeacon(server);
    const { client } = await waitingClient(server);
    client.track('view', { userId: 'u' });
    hide();
    window.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(1);
    await client.close();
  });

  it('carry the batch in flight too, which the server then stores once', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.withholdAcks = true;
    const beacons = stubBeacon(server);
    const key = freshKey(server);
    const { client } = browserClient(server, {
      key,
      exposures: false,
      events: { batchSize: 1, ackTimeoutMs: 20, retry: { baseMs: 5, maxMs: 5 } },
    });
    await client.ready();
    client.track('a', { userId: 'u' });
    client.track('b', { userId: 'u' });
    await until(() => server.batches.length === 1);
    hide();
    expect(beacons[0]!.body.events.map((e) => e.type)).toEqual(['a', 'b']);
    // `a` was in flight: it stays queued and its retry is a duplicate the server absorbs.
    expect(client.unsentEvents().map((e) => e.type)).toEqual(['a']);
    server.withholdAcks = false;
    expect(await client.flush({ timeoutMs: 2000 })).toBe(true);
    expect([...server.stored.values()].map((e) => e.type).sort()).toEqual(['a', 'b']);
    expect(server.duplicates).toBeGreaterThanOrEqual(1);
    await client.close();
  });

  it('split a large queue below the size limit and stop at the first beacon refused', async () => {
    const server = new FakeServer(sampleSnapshot());
    const beacons = stubBeacon(server, (n) => n < 2);
    const { client } = await waitingClient(server);
    const padding = 'x'.repeat(20_000);
    for (let i = 0; i < 8; i++) client.track(`e${i}`, { userId: 'u' }, { padding });
    window.dispatchEvent(new Event('pagehide'));
    expect(beacons.map((b) => b.body.events.length)).toEqual([2, 2]);
    expect(beacons.every((b) => JSON.stringify(b.body).length < 60_000)).toBe(true);
    expect(client.unsentEvents().map((e) => e.type)).toEqual(['e4', 'e5', 'e6', 'e7']);
    await client.close({ timeoutMs: 0 });
  });

  it('are not sent while the browser is offline: the events stay in IndexedDB', async () => {
    const server = new FakeServer(sampleSnapshot());
    const beacons = stubBeacon(server);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const { client, key } = await waitingClient(server);
    client.track('a', { userId: 'u' });
    window.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(0);
    expect(client.pendingEvents).toBe(1);
    await until(async () => (await idbEventQueueStorage(key).load()).length === 1);
    await client.close({ timeoutMs: 0 });
  });

  it('stop when the client is closed, and can be turned off', async () => {
    const server = new FakeServer(sampleSnapshot());
    const beacons = stubBeacon(server);
    const closed = await waitingClient(server);
    await closed.client.close({ timeoutMs: 0 });
    const off = browserClient(server, { key: freshKey(server), beacon: false });
    off.client.track('a', { userId: 'u' });
    window.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(0);
    await off.client.close({ timeoutMs: 0 });
  });
});
