import { describe, expect, it } from 'vitest';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

function httpOnlyServer() {
  const server = new FakeServer(sampleSnapshot());
  server.socketDown = true;
  return server;
}

const posts = (server: FakeServer) => server.httpRequests.filter((r) => r.init.method === 'POST');

describe('events over HTTP', () => {
  it('waits for the Retry-After of a 429, then resends the same batch', async () => {
    const server = httpOnlyServer();
    let limited = 1;
    server.postOverride = () =>
      limited-- > 0 ? { status: 429, headers: { 'retry-after': '5' } } : undefined;
    const { client, clock } = testClient(
      { transport: 'socket', events: { batchSize: 1 } },
      {},
      server,
    );
    client.track('a', { userId: 'u' });
    await settle();
    expect(posts(server)).toHaveLength(1);
    clock.advance(4999);
    await settle();
    expect(posts(server)).toHaveLength(1);
    clock.advance(1);
    await settle();
    const [first, second] = posts(server);
    expect(second!.init.body).toBe(first!.init.body);
    expect(server.stored.size).toBe(1);
  });

  it('drops and reports a batch the server refuses as malformed (400)', async () => {
    const server = httpOnlyServer();
    server.postOverride = () => ({ status: 400, body: '{"error":{"code":"bad_request"}}' });
    const { client, errors } = testClient(
      { transport: 'socket', events: { batchSize: 2 } },
      {},
      server,
    );
    client.track('a', { userId: 'u' });
    client.track('b', { userId: 'u' });
    expect(await client.flush()).toBe(true);
    expect(client.pendingEvents).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['EVENTS_REJECTED']);
  });

  it('drops events rejected one by one and keeps the rest of their batch', async () => {
    const server = httpOnlyServer();
    const { client, errors, platform } = testClient(
      { transport: 'socket', events: { batchSize: 3 } },
      {},
      server,
    );
    client.track('good', { userId: 'u' });
    client.track('bad', { userId: 'u' });
    await settle();
    const stored = (await platform.eventStorage!.load()) as Array<{ id: string }>;
    server.invalidIds.add(stored[1]!.id);
    client.track('good', { userId: 'u' });
    expect(await client.flush()).toBe(true);
    expect([...server.stored.values()].map((e) => e.type)).toEqual(['good', 'good']);
    expect(errors[0]!.code).toBe('EVENTS_REJECTED');
    expect(posts(server)).toHaveLength(1);
  });
});
