import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCodes } from '@switchyard/core';
import type { DeltaMessage } from '@switchyard/core/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeatureFlag } from '../src/entities/feature-flag/schema';
import { silentLogger } from '../src/logger';
import type { KeyRecord, LogEntry } from '../src/store/records';
import type { ConfigFeed, StepListener } from '../src/sync/config-feed';
import { EnvironmentConfig } from '../src/sync/environment-config';
import { EnvironmentFeed } from '../src/sync/environment-feed';
import { PreparedFrame } from '../src/sync/prepared-frame';
import { SyncHub } from '../src/sync/sync-hub';
import { StreamClient } from './support/stream-client';

function key(kind: 'server' | 'client'): KeyRecord {
  return {
    id: `key_${kind}`,
    prefix: kind,
    kind,
    environment: 'development',
    hash: '',
    name: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
  };
}

/** A stored flag state, as the log carries it. */
function flagState(id: string, extra: Partial<FeatureFlag> = {}): FeatureFlag {
  return {
    $id: id,
    $type: 'FeatureFlag',
    key: id,
    salt: id,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    default: 'on',
    offVariant: 'off',
    rules: [],
    enabled: true,
    serverOnly: false,
    status: 'Active',
    ...extra,
  } as unknown as FeatureFlag;
}

function entry(seq: number, state: FeatureFlag): LogEntry {
  return {
    seq,
    type: 'featureflag.updated',
    entityType: 'FeatureFlag',
    entityId: String(state.$id),
    environment: 'development',
    at: '2026-01-01T00:00:00.000Z',
    actor: 'test',
    payload: {},
    state: state as unknown as Record<string, unknown>,
  };
}

/** A hub over a hand-driven feed: the test makes the steps. */
class Harness {
  env = new EnvironmentFeed(
    new EnvironmentConfig('development', 5, {
      experiments: [],
      flags: [flagState('a')],
      segments: [],
    }),
    5,
    16,
  );
  listener: StepListener | undefined;
  hub: SyncHub;
  http: Server = createServer();
  url = '';
  clients: StreamClient[] = [];

  constructor(maxBufferedBytes?: number) {
    const feed = {
      onStep: (l: StepListener) => {
        this.listener = l;
        return () => undefined;
      },
      environment: async () => this.env,
    } as unknown as ConfigFeed;
    this.hub = new SyncHub({
      feed,
      keys: { verify: async (s) => (s === 'server' || s === 'client' ? key(s) : null) },
      logger: silentLogger,
      ...(maxBufferedBytes === undefined ? {} : { maxBufferedBytes }),
    });
    this.hub.attach(this.http);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async connect(kind: 'server' | 'client'): Promise<StreamClient> {
    const c = await StreamClient.connect(this.url, kind);
    this.clients.push(c);
    return c;
  }

  /** Applies log rows to the feed and broadcasts the step they make. */
  step(...entries: LogEntry[]) {
    const step = this.env.apply(entries)!;
    this.listener!(this.env, step);
    return step;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.socket.terminate();
    await this.hub.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

describe('sync hub broadcast', () => {
  it('frames each step once per view, whatever the number of sockets', async () => {
    h = new Harness();
    await h.start();
    const sockets = await Promise.all(
      Array.from({ length: 12 }, (_, i) => h.connect(i % 3 ? 'server' : 'client')),
    );
    const framed = vi.spyOn(PreparedFrame, 'of');
    h.step(entry(6, flagState('a', { enabled: false })));
    expect(framed).toHaveBeenCalledTimes(2);
    for (const s of sockets) {
      const delta = (await s.next((m) => m.type === 'delta')) as DeltaMessage;
      expect(delta).toMatchObject({ from: 5, to: 6 });
      expect(s.snapshot!.flags.a!.enabled).toBe(false);
    }
  });

  it('turns a flag that became server-only into a removal for client keys', async () => {
    h = new Harness();
    await h.start();
    const server = await h.connect('server');
    const client = await h.connect('client');
    h.step(entry(6, flagState('a', { serverOnly: true })));
    expect(((await client.next((m) => m.type === 'delta')) as DeltaMessage).changes).toEqual([
      { kind: 'flag', key: 'a', value: null },
    ]);
    const toServer = (await server.next((m) => m.type === 'delta')) as DeltaMessage;
    expect(toServer.changes).toEqual([
      { kind: 'flag', key: 'a', value: expect.objectContaining({ serverOnly: true }) },
    ]);
    // A change client keys cannot see still moves their version, with an empty delta.
    h.step(entry(7, flagState('a', { serverOnly: true, enabled: false })));
    expect(await client.next((m) => m.type === 'delta')).toEqual({
      type: 'delta',
      from: 6,
      to: 7,
      changes: [],
    });
  });

  it('sends a snapshot, not a delta, to a socket a step would leave with a gap', async () => {
    h = new Harness();
    await h.start();
    const c = await h.connect('server');
    // Rows the hub never announced: the next step starts at 7, the socket is at 5.
    h.env.apply([entry(6, flagState('a', { enabled: false })), entry(7, flagState('b'))]);
    h.step(entry(8, flagState('c')));
    const answer = await c.next((m) => m.type !== 'snapshot' || m.version > 5);
    expect(answer).toMatchObject({ type: 'snapshot', version: 8 });
    expect(Object.keys(c.snapshot!.flags).sort()).toEqual(['a', 'b', 'c']);
    h.step(entry(9, flagState('d')));
    expect(await c.next()).toMatchObject({ type: 'delta', from: 8, to: 9 });
    expect(c.gaps).toEqual([]);
  });

  it('closes a socket that stops reading with 4408 once its send buffer passes the bound', async () => {
    h = new Harness(256 * 1024);
    await h.start();
    const slow = await h.connect('server');
    const fast = await h.connect('server');
    // The client stops reading: the kernel buffers fill, then the server's.
    (slow.socket as unknown as { _socket: Duplex })._socket.pause();
    const big = { $inSegment: 'x'.repeat(20_000) };
    for (let i = 0; i < 400 && slow.socket.readyState === slow.socket.OPEN; i++) {
      h.step(
        entry(6 + i, flagState('a', { rules: [{ condition: big, variant: String(i) }] } as never)),
      );
      await new Promise((resolve) => setImmediate(resolve));
      if (h.hub.liveSockets('development') < 2) break;
    }
    expect(h.hub.liveSockets('development')).toBe(1);
    (slow.socket as unknown as { _socket: Duplex })._socket.resume();
    expect((await slow.closed).code).toBe(CloseCodes.slowConsumer);
    expect(fast.gaps).toEqual([]);
    await fast.reach(h.env.version, 10_000);
  });
});
