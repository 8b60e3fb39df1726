import type { ClientMessage } from '@switchyard/core/schema';
import type { SocketFactory, SocketHandlers } from '@switchyard/sdk-core';
import { describe, expect, it } from 'vitest';
import { defaultSubscriberName, RemoteHooks } from '../src';
import { nodeSnapshot, waitFor } from './support/fixtures';

/** A socket factory whose sockets the test drives: it opens them and speaks for the server. */
function fakeServer() {
  const sockets: { handlers: SocketHandlers; sent: ClientMessage[]; closed: boolean }[] = [];
  const factory: SocketFactory = (_url, handlers) => {
    const socket = { handlers, sent: [] as ClientMessage[], closed: false };
    sockets.push(socket);
    queueMicrotask(() => handlers.onOpen());
    return {
      send: (data) => void socket.sent.push(JSON.parse(data) as ClientMessage),
      close: () => {
        socket.closed = true;
        handlers.onClose(1000, '');
      },
    };
  };
  const reply = (at: number, message: object) =>
    sockets[at]!.handlers.onMessage(JSON.stringify(message));
  return { factory, sockets, reply };
}

const domain = (seq: number, type = 'experiment.concluded') => ({
  type: 'domain',
  seq,
  event: {
    seq,
    type,
    entityType: 'Experiment',
    id: `experiment_${seq}`,
    at: '2026-03-02T09:00:00.000Z',
    environment: 'development',
    payload: {},
    entity: { $id: `experiment_${seq}`, winner: 'simplified' },
  },
});

const sentOf = (socket: { sent: ClientMessage[] }, type: ClientMessage['type']) =>
  socket.sent.filter((m) => m.type === type);

describe('remote hooks, client side', () => {
  it('names a subscriber by its hook set and environment, in any registration order', () => {
    expect(defaultSubscriberName(['b.x', 'a.y'])).toBe('sdk-node:*:a.y,b.x');
    expect(defaultSubscriberName(['a.y', 'b.x'], 'production')).toBe('sdk-node:production:a.y,b.x');
    const many = Array.from({ length: 40 }, (_, i) => `experiment.hook${i}`);
    const long = defaultSubscriberName(many);
    expect(long.length).toBeLessThanOrEqual(200);
    expect(defaultSubscriberName([...many].reverse())).toBe(long);
    expect(defaultSubscriberName(many.slice(1))).not.toBe(long);
  });

  it('subscribes once per connection with every hook of the turn, and resumes after reconnecting', async () => {
    const server = fakeServer();
    const hooks = new RemoteHooks({
      url: 'http://127.0.0.1:1',
      key: 'admin',
      after: async () => 7,
      context: () => ({}),
      onError: () => {},
      platform: { socket: server.factory },
    });
    hooks.register('experiment.concluded', () => {});
    hooks.register('featureflag.enabled', () => {}, 'production');
    await waitFor(() => server.sockets.length === 1 && server.sockets[0]!.sent.length === 1);
    expect(server.sockets[0]!.sent[0]).toMatchObject({ type: 'hello', key: 'admin' });
    server.reply(0, { type: 'snapshot', ...nodeSnapshot() });
    await waitFor(() => sentOf(server.sockets[0]!, 'subscribe').length === 1);
    expect(sentOf(server.sockets[0]!, 'subscribe')).toEqual([
      {
        type: 'subscribe',
        name: 'sdk-node:*:experiment.concluded,featureflag.enabled',
        events: ['experiment.concluded', 'featureflag.enabled'],
        after: 7,
      },
    ]);
    server.sockets[0]!.handlers.onClose(1006, 'gone');
    await waitFor(() => server.sockets.length === 2 && server.sockets[1]!.sent.length === 1, 3000);
    server.reply(1, { type: 'snapshot', ...nodeSnapshot() });
    await waitFor(() => sentOf(server.sockets[1]!, 'subscribe').length === 1);
    await hooks.close();
  });

  it('acknowledges after the hook resolved, and a redelivery without running it again', async () => {
    const server = fakeServer();
    const runs: number[] = [];
    let release!: () => void;
    const hooks = new RemoteHooks({
      url: 'http://127.0.0.1:1',
      key: 'admin',
      name: 'svc',
      context: (environment) => ({ environment }),
      onError: () => {},
      platform: { socket: server.factory },
    });
    const contexts: unknown[] = [];
    hooks.register('experiment.concluded', async (entity, $, event) => {
      runs.push(event.seq);
      contexts.push([(entity as { winner: string }).winner, $]);
      if (event.seq === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    await waitFor(() => server.sockets[0]?.sent.length === 1);
    server.reply(0, { type: 'snapshot', ...nodeSnapshot() });
    await waitFor(() => sentOf(server.sockets[0]!, 'subscribe').length === 1);
    server.reply(0, domain(1));
    server.reply(0, domain(1)); // the same event again while its hook runs: not queued twice
    await waitFor(() => release !== undefined);
    expect(sentOf(server.sockets[0]!, 'domain-ack')).toEqual([]);
    release();
    await waitFor(() => sentOf(server.sockets[0]!, 'domain-ack').length === 1);
    server.reply(0, domain(1)); // e.g. after the server restarted before it stored the ack
    server.reply(0, domain(2));
    await waitFor(() => sentOf(server.sockets[0]!, 'domain-ack').length === 3);
    expect(runs).toEqual([1, 2]);
    expect(
      sentOf(server.sockets[0]!, 'domain-ack').map((m) => m.type === 'domain-ack' && m.seq),
    ).toEqual([1, 1, 2]);
    expect(contexts[0]).toEqual(['simplified', { environment: 'development' }]);
    await hooks.close();
    expect(server.sockets[0]!.closed).toBe(true);
  });
});
