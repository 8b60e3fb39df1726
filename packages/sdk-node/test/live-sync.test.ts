import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src';
import type { SwitchyardClient } from '../src';
import { nodeSnapshot, waitFor } from './support/fixtures';
import { StubServer } from './support/stub-server';

describe('the Node client over a real ws socket', () => {
  let server: StubServer;
  const clients: SwitchyardClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 500 })));
    await server?.stop();
  });

  it('takes url and key from SWITCHYARD_URL and SWITCHYARD_KEY, syncs and sends events', async () => {
    server = new StubServer(nodeSnapshot(3));
    const url = await server.start();
    process.env.SWITCHYARD_URL = url;
    process.env.SWITCHYARD_KEY = 'server-key';
    try {
      const client = createClient();
      clients.push(client);
      await client.ready({ timeoutMs: 3000 });
      expect(client.endpoints?.stream).toBe(`${url.replace('http', 'ws')}/v1/stream`);
      expect(server.hellos[0]).toMatchObject({
        key: 'server-key',
        sdk: expect.stringMatching(/^sdk-node\//),
      });
      expect(client.snapshot?.version).toBe(3);

      server.commit([
        { kind: 'flag', key: 'banner', value: { ...nodeSnapshot().flags.banner!, enabled: false } },
      ]);
      await waitFor(() => client.snapshot?.version === 4);
      expect(client.isOn('banner', { userId: 'u' })).toBe(false);

      client.track('signup', { userId: 'u1' }, { plan: 'pro' });
      expect(await client.flush({ timeoutMs: 3000 })).toBe(true);
      expect([...server.stored.values()]).toMatchObject([
        { type: 'signup', unit: 'u1', properties: { plan: 'pro' } },
      ]);
    } finally {
      delete process.env.SWITCHYARD_URL;
      delete process.env.SWITCHYARD_KEY;
    }
  });

  it('reports a refused key and stops', async () => {
    server = new StubServer(nodeSnapshot());
    const url = await server.start();
    const errors: string[] = [];
    const client = createClient({ url, key: 'wrong', onError: (e) => errors.push(e.code) });
    clients.push(client);
    await expect(client.ready({ timeoutMs: 3000 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(errors).toContain('UNAUTHORIZED');
  });

  it('throws when no url or key is given anywhere', () => {
    expect(() => createClient()).toThrow(/url/);
  });
});
