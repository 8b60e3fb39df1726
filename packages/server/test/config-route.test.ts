import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesEtag } from '../src/sync/config-route';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { StreamClient } from './support/stream-client';

let t: TestServer;
beforeAll(async () => {
  t = await startServer({ webhooks: false, scheduler: false });
  await t.api('POST', '/v1/flags', {
    key: 'secret-rule',
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    default: 'on',
    serverOnly: true,
  });
});
afterAll(async () => {
  await t.close();
});

function get(key: string, headers: Record<string, string> = {}) {
  return fetch(`${t.url}/v1/config`, { headers: { authorization: `Bearer ${key}`, ...headers } });
}

describe('GET /v1/config', () => {
  it('tags the client and the server view differently, and answers 304 to the current tag', async () => {
    const server = await get(t.key('server'));
    const client = await get(t.key('client'));
    const serverTag = server.headers.get('etag')!;
    const clientTag = client.headers.get('etag')!;
    expect(serverTag).not.toBe(clientTag);
    expect(Object.keys(((await server.json()) as { flags: object }).flags)).toEqual([
      'secret-rule',
    ]);
    expect(((await client.json()) as { flags: object }).flags).toEqual({});
    for (const [key, tag] of [
      [t.key('server'), serverTag],
      [t.key('client'), clientTag],
    ] as const) {
      const again = await get(key, { 'if-none-match': tag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
    // The other view's tag is not a match.
    expect((await get(t.key('client'), { 'if-none-match': serverTag })).status).toBe(200);
  });

  it('answers 200 with a new tag after a change, at the version the stream has', async () => {
    const before = (await get(t.key('server'))).headers.get('etag')!;
    const stream = await StreamClient.connect(t.url, t.key('server'));
    try {
      await t.api('POST', '/v1/flags', {
        key: 'fresh',
        type: 'boolean',
        variants: [{ key: 'on', value: true }],
        default: 'on',
      });
      const after = await get(t.key('server'), { 'if-none-match': before });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(before);
      const body = (await after.json()) as { version: number };
      expect((await stream.reach(body.version)).version).toBe(body.version);
      expect(stream.snapshot).toEqual(body);
    } finally {
      stream.socket.terminate();
    }
  });

  it('lets browsers call it from any origin, preflight included', async () => {
    const preflight = await fetch(`${t.url}/v1/config`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, if-none-match',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/);
    const answer = await get(t.key('client'), { origin: 'https://app.example' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/ETag/);
    // Errors are readable by the page too.
    const refused = await get('sy_client_unknown');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('matchesEtag', () => {
  it('reads lists, weak tags and *', () => {
    expect(matchesEtag('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesEtag('*', '"b"')).toBe(true);
    expect(matchesEtag('"a"', '"b"')).toBe(false);
    expect(matchesEtag(undefined, '"b"')).toBe(false);
  });
});
