import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src';
import { httpFallback } from '../src/polling';
import { FakeServer, freshKey, sampleSnapshot, until } from './support/harness';

/** Puts `server` behind the page's own `WebSocket` and `fetch` (browser boundaries). */
function stubGlobals(server: FakeServer): void {
  class FakeWebSocket {
    onopen: ((e: unknown) => void) | null = null;
    onmessage: ((e: { data: unknown }) => void) | null = null;
    onclose: ((e: { code: number; reason: string }) => void) | null = null;
    readonly #conn;
    constructor(readonly url: string) {
      this.#conn = server.socket(url, {
        onOpen: () => this.onopen?.({}),
        onMessage: (data) => {
          this.onmessage?.({ data: new Blob(['binary frames are ignored']) });
          this.onmessage?.({ data });
        },
        onClose: (code, reason) => this.onclose?.({ code, reason }),
      });
    }
    send(data: string) {
      this.#conn.send(data);
    }
    close(code?: number, reason?: string) {
      this.#conn.close(code, reason);
    }
  }
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('fetch', (url: string, init: never) => server.fetch(url, init));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A server whose socket is down, behind the page's globals, and a fresh key for it. */
function socketDown(snapshot = sampleSnapshot()) {
  const server = new FakeServer(snapshot);
  server.socketDown = true;
  stubGlobals(server);
  return { server, key: freshKey(server) };
}

describe('the browser transports', () => {
  it('sync over the page’s WebSocket: hello with key and SDK, pushed changes, events with acks', async () => {
    const server = new FakeServer(sampleSnapshot());
    stubGlobals(server);
    const key = freshKey(server);
    const client = createClient({ url: 'https://flags.test/', key, exposures: false });
    await client.ready();
    expect(server.connections[0]!.url).toBe('wss://flags.test/v1/stream');
    expect(server.connections[0]!.received[0]).toEqual({
      type: 'hello',
      key,
      sdk: 'sdk-browser/0.1.0',
    });

    server.commit([
      { kind: 'flag', key: 'banner', value: { ...sampleSnapshot().flags.banner!, enabled: false } },
    ]);
    await until(() => !client.isOn('banner', {}));

    client.track('click', { userId: 'u' });
    expect(await client.flush()).toBe(true);
    expect(server.batches.map((b) => b.via)).toEqual(['socket']);
    await client.close();
  });

  it('fall back to fetch, with the HTTP fallback: GET /v1/config with the key and the ETag, POST /v1/events as JSON', async () => {
    const { server, key } = socketDown(sampleSnapshot(3));
    const client = createClient({
      url: 'http://flags.test',
      key,
      exposures: false,
      reconnect: { baseMs: 5, maxMs: 10 },
      pollIntervalMs: 10,
      platform: httpFallback,
    });
    await client.ready({ timeoutMs: 2000 });
    await until(() => server.httpRequests.filter((r) => r.init.method === 'GET').length >= 2);
    const [first, second] = server.httpRequests.filter((r) => r.init.method === 'GET');
    expect(first).toMatchObject({
      url: 'http://flags.test/v1/config',
      init: { headers: { authorization: `Bearer ${key}` } },
    });
    expect(second!.init.headers['if-none-match']).toBe('"v3"');

    client.track('click', { userId: 'u' });
    expect(await client.flush()).toBe(true);
    const post = server.httpRequests.find((r) => r.init.method === 'POST')!;
    expect(post.url).toBe('http://flags.test/v1/events');
    expect(post.init.headers).toMatchObject({
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
    });
    expect(JSON.parse(post.init.body!)).toMatchObject({
      batchId: expect.any(String),
      events: [{ type: 'click' }],
    });
    await client.close();
  });

  it('poll nothing without the poller: config comes over the socket (and bootstrap and cache)', async () => {
    const { server, key } = socketDown();
    const client = createClient({
      url: 'http://flags.test',
      key,
      reconnect: { baseMs: 5, maxMs: 5 },
    });
    await until(() => server.connections.length >= 4);
    expect(server.httpRequests.filter((r) => r.init.method === 'GET')).toEqual([]);
    expect(client.isReady).toBe(false);
    server.socketDown = false;
    await client.ready({ timeoutMs: 2000 });
    await client.close();
  });

  it('works without WebSocket, fetch or IndexedDB (server-side rendering): offline reads', () => {
    vi.stubGlobal('WebSocket', undefined);
    vi.stubGlobal('fetch', undefined);
    vi.stubGlobal('indexedDB', undefined);
    const client = createClient({ offline: true, bootstrap: sampleSnapshot() });
    expect(client.isOn('banner', {})).toBe(true);
  });

  it('throws on misuse: no url or key while online', () => {
    expect(() => createClient({ url: 'http://flags.test' })).toThrow(TypeError);
  });
});
