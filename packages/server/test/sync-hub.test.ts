import { CloseCodes } from '@switchyard/core';
import type { DeltaMessage } from '@switchyard/core/schema';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerOptions } from '../src/server';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { StreamClient } from './support/stream-client';

let t: TestServer;
const clients: StreamClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.terminate();
  await t?.close();
});

async function start(options: ServerOptions = {}): Promise<TestServer> {
  t = await startServer({ webhooks: false, scheduler: false, ...options });
  return t;
}

async function connect(key: string, since?: number, query = ''): Promise<StreamClient> {
  const c = await StreamClient.connect(t.url, key, since, query);
  clients.push(c);
  return c;
}

async function open(query = '', options: WebSocket.ClientOptions = {}): Promise<StreamClient> {
  const c = await StreamClient.open(t.url, query, options);
  clients.push(c);
  return c;
}

async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function flag(key: string, extra: Record<string, unknown> = {}) {
  return {
    key,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    default: 'on',
    offVariant: 'off',
    enabled: true,
    ...extra,
  };
}

async function createFlag(key: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await t.api('POST', '/v1/flags', flag(key, extra));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.$id;
}

async function rollout(id: string, percent: number): Promise<void> {
  expect((await t.api('POST', `/v1/flags/${id}/rollout`, { percent })).status).toBe(200);
}

async function configOf(key: string) {
  return (await t.api('GET', '/v1/config', undefined, key)).body;
}

describe('sync hub: hello', () => {
  it('answers a server key with the whole config and a client key without server-only flags or unreachable segments', async () => {
    await start();
    await t.api('POST', '/v1/segments', { key: 'staff', condition: { email: { $regex: '@us$' } } });
    await t.api('POST', '/v1/segments', { key: 'beta', condition: { beta: true } });
    await createFlag('public', { rules: [{ condition: { $inSegment: 'beta' }, variant: 'on' }] });
    await createFlag('internal', {
      serverOnly: true,
      rules: [{ condition: { $inSegment: 'staff' }, variant: 'on' }],
    });
    const server = await connect(t.key('server'));
    const client = await connect(t.key('client'));
    expect(server.messages[0]!.type).toBe('snapshot');
    expect(Object.keys(server.snapshot!.flags).sort()).toEqual(['internal', 'public']);
    expect(Object.keys(server.snapshot!.segments).sort()).toEqual(['beta', 'staff']);
    expect(Object.keys(client.snapshot!.flags)).toEqual(['public']);
    expect(Object.keys(client.snapshot!.segments)).toEqual(['beta']);
    // The stream and GET /v1/config agree, view by view.
    expect(server.snapshot).toEqual(await configOf(t.key('server')));
    expect(client.snapshot).toEqual(await configOf(t.key('client')));
  });

  it('answers since = the current version with an empty delta, a recent one with the missed changes, an old one with a snapshot', async () => {
    await start({ realtime: { historySize: 3 } });
    const a = await createFlag('a');
    const first = await connect(t.key('server'));
    const v0 = first.snapshot!.version;
    await rollout(a, 10);
    await rollout(a, 20);
    const v2 = (await first.next((m) => m.type === 'delta' && m.to > v0 + 1)) as DeltaMessage;

    const upToDate = await connect(t.key('server'), v2.to);
    expect(upToDate.messages[0]).toEqual({ type: 'delta', from: v2.to, to: v2.to, changes: [] });

    const behind = await connect(t.key('server'), v0);
    const resumed = behind.messages[0] as DeltaMessage;
    expect(resumed).toMatchObject({ type: 'delta', from: v0, to: v2.to });
    // Two rollouts of one flag merge into its last state.
    expect(resumed.changes).toHaveLength(1);
    expect(behind.snapshot).toBeUndefined();

    await rollout(a, 30);
    await rollout(a, 40);
    await rollout(a, 50);
    await first.reach(v2.to + 3);
    const tooOld = await connect(t.key('server'), v0);
    expect(tooOld.messages[0]!.type).toBe('snapshot');
    const unknown = await connect(t.key('server'), 10_000);
    expect(unknown.messages[0]!.type).toBe('snapshot');
    expect(tooOld.snapshot).toEqual(first.snapshot);
  });

  it('serves an admin key the environment it names, and refuses an SDK key another one', async () => {
    await start();
    await t.api('POST', '/v1/flags?environment=production', flag('prod-only'));
    const admin = await connect(t.admin, undefined, '?environment=production');
    expect(Object.keys(admin.snapshot!.flags)).toEqual(['prod-only']);
    expect(admin.snapshot!.environment).toBe('production');

    const wrong = await open('?environment=production');
    wrong.send({ type: 'hello', key: t.key('server') });
    expect(await wrong.closed).toEqual({
      code: CloseCodes.forbidden,
      reason: "this key belongs to environment 'development'",
    });
  });
});

describe('sync hub: refusals', () => {
  it('answers 404 to an upgrade on another path', async () => {
    await start();
    const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/v1/elsewhere`);
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });

  it('closes with 4401 and a reason for an unknown key', async () => {
    await start();
    const c = await open();
    c.send({ type: 'hello', key: 'sy_server_nope' });
    expect(await c.closed).toEqual({
      code: CloseCodes.unauthorized,
      reason: 'unknown or revoked key',
    });
  });

  it('closes with 4400 when the first message is not hello, not JSON, or not a valid message', async () => {
    await start();
    const notHello = await open();
    notHello.send({ type: 'events', batchId: 'b', events: [] });
    expect(await notHello.closed).toEqual({
      code: CloseCodes.badMessage,
      reason: 'the first message must be hello',
    });
    const notJson = await open();
    notJson.send('{nope');
    expect((await notJson.closed).code).toBe(CloseCodes.badMessage);
    const invalid = await open();
    invalid.send({ type: 'hello' });
    const closed = await invalid.closed;
    expect(closed.code).toBe(CloseCodes.badMessage);
    expect(closed.reason).toMatch(/^invalid message: .*key/);
  });

  it('closes a socket that never says hello, and one whose key is revoked', async () => {
    await start({ realtime: { heartbeatMs: 50, helloTimeoutMs: 100 } });
    const silent = await open();
    expect(await silent.closed).toEqual({ code: CloseCodes.badMessage, reason: 'no hello' });

    const made = await t.api('POST', '/v1/keys', { kind: 'server', environment: 'development' });
    const live = await connect(made.body.secret);
    await t.api('DELETE', `/v1/keys/${made.body.id}`);
    expect(await live.closed).toEqual({
      code: CloseCodes.unauthorized,
      reason: 'the key was revoked',
    });
    const again = await open();
    again.send({ type: 'hello', key: made.body.secret });
    expect((await again.closed).code).toBe(CloseCodes.unauthorized);
  });

  it('drops a peer that stops answering pings, and keeps one that answers', async () => {
    await start({ realtime: { heartbeatMs: 40 } });
    const deaf = await StreamClient.open(t.url, '', { autoPong: false });
    clients.push(deaf);
    deaf.send({ type: 'hello', key: t.key('server') });
    const healthy = await connect(t.key('server'));
    const closed = await deaf.closed;
    expect(closed.code).toBe(1006);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    await eventually(() => expect(t.server.realtime.hub.connections).toBe(1));
  });
});

describe('sync hub: pushes', () => {
  it('pushes every change to every socket of the environment in version order, without gaps', async () => {
    await start();
    const ids = await Promise.all(['a', 'b', 'c'].map((k) => createFlag(k)));
    const kinds = Array.from({ length: 20 }, (_, i): 'server' | 'client' =>
      i % 2 ? 'server' : 'client',
    );
    const sockets = await Promise.all(kinds.map((kind) => connect(t.key(kind))));
    const production = await connect(t.key('server', 'production'));
    // Concurrent verbs: the log orders them, and so does every socket.
    await Promise.all(ids.flatMap((id, i) => [10, 20, 30].map((p) => rollout(id, p + i))));
    const expected = {
      server: await configOf(t.key('server')),
      client: await configOf(t.key('client')),
    };
    for (const [i, s] of sockets.entries()) {
      await s.reach(expected.server.version);
      const [first, ...rest] = s.messages;
      expect(first!.type).toBe('snapshot');
      let version = (first as { version: number }).version;
      for (const m of rest) {
        expect(m.type).toBe('delta');
        expect((m as DeltaMessage).from).toBe(version);
        version = (m as DeltaMessage).to;
      }
      expect(rest.length).toBeGreaterThan(0);
      expect(s.gaps).toEqual([]);
      expect(s.invalid).toEqual([]);
      expect(s.snapshot).toEqual(expected[kinds[i]!]);
    }
    // Another environment's changes are not its sockets' business.
    expect(production.messages).toHaveLength(1);
  });
});
