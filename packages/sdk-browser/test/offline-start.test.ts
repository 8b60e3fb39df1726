import { describe, expect, it } from 'vitest';
import { idbConfigCache } from '../src';
import { browserClient, FakeServer, freshKey, sampleSnapshot, until } from './support/harness';

describe('offline start', () => {
  it('caches the server config in IndexedDB and starts from it, before any socket opens, when the server is down', async () => {
    const server = new FakeServer(sampleSnapshot(5));
    const key = freshKey(server);
    const first = browserClient(server, { key });
    await first.client.ready();
    await until(async () => ((await idbConfigCache(key).get()) as any)?.version === 5);
    await first.client.close();

    server.socketDown = server.httpDown = true;
    const opened = server.connections.length;
    const second = browserClient(server, { key });
    let socketsAtReady = -1;
    second.client.on('ready', () => (socketsAtReady = server.connections.length));
    expect(second.client.isReady).toBe(false);
    await second.client.ready({ timeoutMs: 1000 });
    expect(socketsAtReady).toBe(opened);
    expect(second.client.snapshot?.version).toBe(5);
    expect(second.client.isOn('banner', { userId: 'u' })).toBe(true);
    await second.client.close({ timeoutMs: 0 });
  });

  it('prefers a newer cached config over an older bootstrap, and then takes the server’s', async () => {
    const server = new FakeServer(sampleSnapshot(9));
    const key = freshKey(server);
    await idbConfigCache(key).set(sampleSnapshot(7));
    server.socketDown = true;
    server.httpDown = true;
    const { client } = browserClient(server, { key, bootstrap: sampleSnapshot(3) });
    expect(client.snapshot?.version).toBe(3);
    await until(() => client.snapshot?.version === 7);
    server.socketDown = false;
    server.httpDown = false;
    await until(() => client.snapshot?.version === 9, 5000);
    await client.close({ timeoutMs: 0 });
  });

  it('ignores and reports a cache entry that is not a config', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = server.httpDown = true;
    const key = freshKey(server);
    await idbConfigCache(key).set({ version: 'nope' } as never);
    const { client, errors } = browserClient(server, { key });
    await until(() => errors.length > 0);
    expect(errors[0]).toMatchObject({ code: 'BAD_MESSAGE' });
    expect(client.isReady).toBe(false);
    await client.close({ timeoutMs: 0 });
  });

  it('keeps everything in memory when persistence is off', async () => {
    const server = new FakeServer(sampleSnapshot(4));
    const key = freshKey(server);
    const { client } = browserClient(server, { key, persist: false });
    await client.ready();
    await client.close();
    expect(await idbConfigCache(key).get()).toBeUndefined();
  });
});
