import { isUuidV7 } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryConfigCache, MemoryEventQueueStorage } from '../src';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { booleanFlag, sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

const offline = { offline: true, bootstrap: sampleSnapshot() } as const;

describe('reads', () => {
  it('serve the default with PROVIDER_NOT_READY before any config', () => {
    const { client } = testClient({ offline: true });
    expect(client.isOn('banner', { userId: 'u' })).toBe(false);
    expect(client.getFlag('checkout', { userId: 'u' }, 'fallback')).toBe('fallback');
    expect(client.getDetails('banner', {}, true)).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'PROVIDER_NOT_READY',
    });
    expect(client.getVariant('exp1', { userId: 'u' })).toBeNull();
    expect(client.allFlags({})).toEqual({});
  });

  it('evaluate with core, typed by the default', () => {
    const { client } = testClient(offline);
    const on: boolean = client.getFlag('banner', { userId: 'u' }, false);
    expect(on).toBe(true);
    const text: string = client.getFlag('checkout', { userId: 'u' }, 'x');
    expect(['old', 'new']).toContain(text);
    expect(client.getDetails('banner', {}, 'text')).toMatchObject({
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
      value: 'text',
    });
    expect(client.getDetails('missing', {}, 1)).toMatchObject({
      value: 1,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(client.allFlags({ userId: 'u' })).toEqual({ banner: true, checkout: text });
  });

  it('never throw, whatever the context', () => {
    const { client } = testClient(offline);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), fc.string(), (context, key) => {
        client.isOn(key, context);
        client.getDetails('checkout', context, 'd');
        client.getVariant('exp1', context);
        client.allFlags(context);
      }),
    );
  });

  it('bind to a context with forContext', () => {
    const { client } = testClient(offline);
    const flags = client.forContext({ userId: 'u7' });
    expect(flags.getFlag('checkout', '')).toBe(client.getFlag('checkout', { userId: 'u7' }, ''));
    expect(flags.getVariant('exp1')).toBe(client.getVariant('exp1', { userId: 'u7' }));
    flags.track('purchase', { amount: 3 });
    expect(client.pendingEvents).toBeGreaterThan(0);
  });
});

describe('exposures', () => {
  it('are logged once per unit, experiment and variant, through flags and getVariant', async () => {
    const { client, server } = testClient({ events: { batchSize: 1000 } });
    await client.ready();
    for (let i = 0; i < 5; i++) {
      client.getFlag('checkout', { userId: 'alice' }, 'x');
      client.getVariant('exp1', { userId: 'alice' });
      client.getFlag('checkout', { userId: 'bob' }, 'x');
    }
    client.isOn('banner', { userId: 'alice' }); // not an experiment: no exposure
    client.allFlags({ userId: 'carol' }); // bootstrapping reads log nothing
    await client.flush();
    const exposures = [...server.stored.values()];
    expect(exposures.map((e) => e.unit).sort()).toEqual(['alice', 'bob']);
    const alice = exposures.find((e) => e.unit === 'alice')!;
    expect(alice).toMatchObject({
      type: '$exposure',
      properties: {
        experiment: 'exp1',
        variant: client.getVariant('exp1', { userId: 'alice' }),
        flag: 'checkout',
      },
    });
    expect(isUuidV7(alice.id)).toBe(true);
  });

  it('are logged for flags that roll out to part of their units, once per unit and variant', async () => {
    const snapshot = sampleSnapshot();
    const partly = booleanFlag('new-search', true, {
      defaultVariant: 'off',
      rules: [{ rollout: 30, variant: 'on' }],
    });
    snapshot.flags['new-search'] = partly;
    snapshot.flags['everyone'] = {
      ...partly,
      key: 'everyone',
      rules: [{ rollout: 100, variant: 'on' }],
    };
    snapshot.flags['nobody'] = { ...partly, key: 'nobody', rules: [{ rollout: 0, variant: 'on' }] };
    snapshot.flags['switched-off'] = { ...partly, key: 'switched-off', enabled: false };
    const { client, server } = testClient(
      { events: { batchSize: 1000 } },
      {},
      new FakeServer(snapshot),
    );
    await client.ready();
    const served = new Map<string, boolean>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50; i++) {
        const context = { userId: `u${i}` };
        served.set(context.userId, client.isOn('new-search', context));
        for (const key of ['everyone', 'nobody', 'switched-off', 'banner'])
          client.isOn(key, context);
      }
    }
    client.allFlags({ userId: 'carol' });
    await client.flush();
    const events = [...server.stored.values()];
    expect(events.every((e) => e.type === '$flag_exposure')).toBe(true);
    expect(events.map((e) => e.unit).sort()).toEqual([...served.keys()].sort());
    for (const event of events) {
      const on = served.get(event.unit!)!;
      expect(event.properties).toEqual({ flag: 'new-search', variant: on ? 'on' : 'off' });
    }
    // About 30% of the units got the flag.
    const withFlag = [...served.values()].filter(Boolean).length;
    expect(withFlag).toBeGreaterThan(5);
    expect(withFlag).toBeLessThan(30);
  });

  it('can be turned off', async () => {
    const { client } = testClient({ ...offline, exposures: false });
    client.getVariant('exp1', { userId: 'alice' });
    expect(client.pendingEvents).toBe(0);
  });

  it('are logged again for a unit once the bounded dedup has forgotten it', () => {
    const { client } = testClient({ ...offline, exposures: { dedupCapacity: 2 } });
    for (const u of ['a', 'b', 'c', 'a']) client.getVariant('exp1', { userId: u });
    expect(client.pendingEvents).toBe(4);
  });
});

describe('track', () => {
  it('queues an event with a UUID v7 id, the time, the unit and the properties', async () => {
    const { client, server, clock } = testClient();
    await client.ready();
    client.track('purchase', { userId: 'u1', plan: 'pro' }, { amount: 42 });
    client.track('anonymous', {});
    await client.flush();
    const [purchase, anonymous] = [...server.stored.values()];
    expect(purchase).toMatchObject({
      type: 'purchase',
      unit: 'u1',
      timestamp: clock.now(),
      properties: { amount: 42 },
    });
    expect(isUuidV7(purchase!.id)).toBe(true);
    expect(anonymous!.unit).toBeUndefined();
    expect(server.batches[0]!.via).toBe('socket');
  });

  it('goes over HTTP when there is no live socket', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = true;
    const { client } = testClient({ transport: 'socket' }, {}, server);
    client.track('click', { userId: 'u' });
    expect(await client.flush()).toBe(true);
    expect(server.batches.map((b) => b.via)).toEqual(['http']);
    expect(server.httpRequests[0]!.init.headers.authorization).toBe('Bearer key');
  });
});

describe('start-up', () => {
  it('starts from the bootstrap, then takes the server config and caches it', async () => {
    const cache = new MemoryConfigCache();
    const server = new FakeServer(sampleSnapshot(9));
    const { client } = testClient(
      { bootstrap: { config: sampleSnapshot(4) } },
      { configCache: cache },
      server,
    );
    expect(client.snapshot?.version).toBe(4);
    await client.ready();
    await settle();
    expect(server.connections[0]!.received[0]).toMatchObject({ since: 4 });
    expect(client.snapshot?.version).toBe(9);
    expect(((await cache.get()) as { version: number }).version).toBe(9);
  });

  it('starts from a newer cached config when the server is unreachable', async () => {
    const cache = new MemoryConfigCache();
    await cache.set(sampleSnapshot(7));
    const server = new FakeServer(sampleSnapshot(9));
    server.socketDown = server.httpDown = true;
    const { client } = testClient({ bootstrap: sampleSnapshot(3) }, { configCache: cache }, server);
    await client.ready();
    await settle();
    expect(client.snapshot?.version).toBe(7);
    expect(client.isOn('banner', {})).toBe(true);
  });

  it('reports and ignores a bootstrap or cache entry that is not a config', async () => {
    const cache = new MemoryConfigCache();
    await cache.set({ version: 'x' } as never);
    const { client, errors } = testClient(
      { offline: true, bootstrap: { nonsense: true } },
      { configCache: cache },
    );
    await settle();
    expect(client.isReady).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['BAD_MESSAGE', 'BAD_MESSAGE']);
  });

  it('ready() rejects after its timeout when no config comes', async () => {
    const server = new FakeServer(sampleSnapshot());
    server.socketDown = server.httpDown = true;
    const { client, clock } = testClient({}, {}, server);
    const ready = client.ready({ timeoutMs: 1500 });
    clock.advance(1500);
    await expect(ready).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('throws on misuse: no url or key while online, or a url of another scheme', () => {
    expect(() => testClient({ url: undefined })).toThrow(TypeError);
    expect(() => testClient({ url: 'ftp://x' })).toThrow(/http/);
  });
});

describe('close', () => {
  it('delivers what is queued, then stops syncing; events left unsent stay stored', async () => {
    const storage = new MemoryEventQueueStorage();
    const { client, server, clock } = testClient({}, { eventStorage: storage });
    await client.ready();
    client.track('a', { userId: 'u' });
    expect(await client.close()).toBe(true);
    expect(server.stored.size).toBe(1);
    expect(server.live).toBeUndefined();
    clock.advance(3_600_000);
    await settle();
    expect(server.connections).toHaveLength(1);

    server.socketDown = server.httpDown = true;
    const second = testClient(
      { events: { retry: { baseMs: 10, maxMs: 10 } } },
      { eventStorage: storage },
      server,
    );
    second.client.track('b', { userId: 'u' });
    const closing = second.client.close({ timeoutMs: 500 });
    for (let i = 0; i < 10; i++) {
      second.clock.advance(100);
      await settle();
    }
    expect(await closing).toBe(false);
    expect(((await storage.load()) as Array<{ type: string }>).map((e) => e.type)).toEqual(['b']);
  });
});
