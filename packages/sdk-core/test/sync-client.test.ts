import { CloseCodes } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { MemoryConfigCache } from '../src';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { booleanFlag, sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

describe('SyncClient', () => {
  it('says hello with its key, applies the snapshot and becomes ready', async () => {
    const { client, server } = testClient({ sdk: 'test/1' });
    await settle();
    await client.ready();
    expect(server.connections[0]!.url).toBe('ws://flags.test/v1/stream');
    expect(server.connections[0]!.received[0]).toEqual({
      type: 'hello',
      key: 'key',
      sdk: 'test/1',
    });
    expect(client.snapshot?.version).toBe(1);
    expect(client.isOn('banner', { userId: 'u1' })).toBe(true);
    expect(client.sync?.live).toBe(true);
  });

  it('applies pushed deltas and reports the changed keys', async () => {
    const { client, server } = testClient();
    await settle();
    const changes: string[][] = [];
    client.on('change', (e) => changes.push(e.flags));
    server.commit([{ kind: 'flag', key: 'banner', value: booleanFlag('banner', false) }]);
    await settle();
    expect(client.snapshot?.version).toBe(2);
    expect(client.isOn('banner', { userId: 'u1' })).toBe(false);
    expect(changes).toEqual([['banner']]);
  });

  it('resumes with `since` after a drop and gets only the missed changes', async () => {
    const { client, server, clock } = testClient();
    await settle();
    server.connections[0]!.drop(CloseCodes.goingAway, 'restart');
    server.commit([{ kind: 'flag', key: 'banner', value: booleanFlag('banner', false) }]);
    await settle();
    expect(client.sync?.live).toBe(false);
    clock.advance(clock.nextTimerIn()!);
    await settle();
    const second = server.connections[1]!;
    expect(second.received[0]).toMatchObject({ type: 'hello', since: 1 });
    expect(client.snapshot?.version).toBe(2);
    expect(client.isOn('banner', {})).toBe(false);
  });

  it('treats a delta that skips versions as a gap: reconnects at once and resyncs', async () => {
    const { client, server, clock } = testClient();
    await settle();
    // The server "loses" one delta: the client sees 1 → (nothing) then 2 → 3.
    const conn = server.connections[0]!;
    conn.open = false;
    server.commit([{ kind: 'flag', key: 'banner', value: booleanFlag('banner', false) }]);
    conn.open = true;
    server.commit([{ kind: 'flag', key: 'extra', value: booleanFlag('extra') }]);
    await settle();
    expect(conn.closed).toBe(true);
    expect(clock.nextTimerIn()).toBe(0);
    clock.advance(0);
    await settle();
    expect(server.connections).toHaveLength(2);
    expect(server.connections[1]!.received[0]).toMatchObject({ type: 'hello', since: 1 });
    expect(client.snapshot?.version).toBe(3);
    expect(client.isOn('banner', {})).toBe(false);
    expect(client.isOn('extra', {})).toBe(true);
  });

  it('asks for a full snapshot when the answer to hello itself does not fit', async () => {
    const server = new FakeServer(sampleSnapshot(5));
    let lies = 1;
    const answer = server.answerTo.bind(server);
    server.answerTo = (since) =>
      lies-- > 0 ? { type: 'delta', from: 3, to: 5, changes: [] } : answer(since);
    const cache = new MemoryConfigCache();
    await cache.set(sampleSnapshot(2));
    const { client, clock } = testClient({}, { configCache: cache }, server);
    await settle();
    expect(server.connections[0]!.received[0]).toMatchObject({ since: 2 });
    clock.advance(0);
    await settle();
    expect(server.connections[1]!.received[0]).toEqual({ type: 'hello', key: 'key' });
    expect(client.snapshot?.version).toBe(5);
  });

  it('reconnects with jittered exponential backoff, capped, and resets after a success', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = true;
    const { client, clock } = testClient(
      { reconnect: { baseMs: 100, maxMs: 1000 }, transport: 'socket' },
      {},
      server,
    );
    await settle();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const delay = clock.nextTimerIn()!;
      delays.push(delay);
      clock.advance(delay);
      await settle();
    }
    const ceilings = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(ceilings[i]! / 2);
      expect(d).toBeLessThanOrEqual(ceilings[i]!);
    });
    expect(new Set(delays.slice(4)).size).toBeGreaterThan(1); // jittered, not fixed
    expect(server.connections).toHaveLength(9);
    server.socketDown = false;
    clock.advance(clock.nextTimerIn()!);
    await settle();
    expect(client.sync?.live).toBe(true);
    server.live!.drop(1006);
    await settle();
    expect(clock.nextTimerIn()).toBeLessThanOrEqual(100);
  });

  it('stops on a refused key: reports it, rejects ready and never retries', async () => {
    const { client, server, clock, errors } = testClient({ key: 'wrong' });
    const ready = client.ready();
    await settle();
    await expect(ready).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(errors.map((e) => e.code)).toContain('UNAUTHORIZED');
    expect(client.sync?.stopped).toBe(true);
    clock.advance(3_600_000);
    await settle();
    expect(server.connections).toHaveLength(1);
  });

  it('reconnects at once after a slow-consumer close and resyncs', async () => {
    const { client, server, clock } = testClient();
    await settle();
    server.connections[0]!.drop(CloseCodes.slowConsumer, 'too slow');
    await settle();
    expect(clock.nextTimerIn()).toBe(0);
    clock.advance(0);
    await settle();
    expect(client.sync?.live).toBe(true);
    expect(server.connections[1]!.received[0]).toMatchObject({ since: 1 });
  });

  it('falls back to HTTP polling with ETag while the socket cannot connect, and stops once it can', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = true;
    const { client, clock } = testClient(
      { pollIntervalMs: 5000, pollAfterFailures: 2 },
      {},
      server,
    );
    await settle();
    expect(server.httpRequests).toHaveLength(0);
    clock.advance(clock.nextTimerIn()!);
    await settle();
    // Two failed connects: the first poll went out and brought the config.
    expect(server.httpRequests).toHaveLength(1);
    expect(server.httpRequests[0]!.url).toBe('http://flags.test/v1/config');
    expect(client.snapshot?.version).toBe(1);
    clock.advance(5000);
    await settle();
    const second = server.httpRequests.find((r, i) => i > 0 && r.url.endsWith('/v1/config'));
    expect(second?.init.headers['if-none-match']).toBe('"v1"');
    server.socketDown = false;
    clock.advance(60_000);
    await settle();
    expect(client.sync?.live).toBe(true);
    expect(client.sync?.polling).toBe(false);
    const polls = server.httpRequests.length;
    clock.advance(60_000);
    await settle();
    expect(server.httpRequests).toHaveLength(polls);
  });

  it('polls only, when asked to', async () => {
    const { client, server, clock } = testClient({ transport: 'polling', pollIntervalMs: 1000 });
    await settle();
    expect(server.connections).toHaveLength(0);
    expect(client.snapshot?.version).toBe(1);
    server.commit([{ kind: 'flag', key: 'banner', value: booleanFlag('banner', false) }]);
    clock.advance(1000);
    await settle();
    expect(client.isOn('banner', {})).toBe(false);
  });

  it('ignores and reports a message that fails validation', async () => {
    const { client, server, errors } = testClient();
    await settle();
    server.live!.push({ type: 'delta', from: 'one' });
    server.live!.push({ type: 'mystery' });
    await settle();
    expect(errors.filter((e) => e.code === 'BAD_MESSAGE')).toHaveLength(2);
    expect(client.sync?.live).toBe(true);
    expect(client.snapshot?.version).toBe(1);
  });

  it('gives up on a connection whose hello goes unanswered and tries again', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.handle = () => {};
    const { clock } = testClient({ requestTimeoutMs: 3000, transport: 'socket' }, {}, server);
    await settle();
    expect(server.connections).toHaveLength(1);
    clock.advance(3000);
    await settle();
    expect(server.connections[0]!.closed).toBe(true);
    clock.advance(clock.nextTimerIn()!);
    await settle();
    expect(server.connections).toHaveLength(2);
  });
});

describe('close codes', () => {
  it('are the ones core names', () => {
    expect(CloseCodes).toMatchObject({
      unauthorized: 4401,
      forbidden: 4403,
      badMessage: 4400,
      slowConsumer: 4408,
    });
  });
});
