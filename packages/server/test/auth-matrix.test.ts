import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from './support/fixtures';
import { createFixtures, managementRoutes } from './support/fixtures';
import type { TestServer } from './support/server';
import { startServer } from './support/server';

let t: TestServer;
let f: Fixtures;
let revoked: string;
beforeAll(async () => {
  t = await startServer({ webhooks: false });
  f = await createFixtures(t);
  const made = await t.api('POST', '/v1/keys', { kind: 'admin', name: 'to revoke' });
  revoked = made.body.secret;
  await t.api('DELETE', `/v1/keys/${made.body.id}`);
});
afterAll(async () => {
  await t.close();
});

type Credential =
  | 'none'
  | 'unknown'
  | 'malformed'
  | 'revoked admin'
  | 'admin'
  | 'server'
  | 'client'
  | 'production client';

function headerFor(credential: Credential): Record<string, string> {
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  switch (credential) {
    case 'none':
      return {};
    case 'unknown':
      return bearer('sy_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    case 'malformed':
      return { authorization: 'Basic YWRtaW46YWRtaW4=' };
    case 'revoked admin':
      return bearer(revoked);
    case 'admin':
      return bearer(t.admin);
    case 'server':
      return bearer(t.key('server'));
    case 'client':
      return bearer(t.key('client'));
    case 'production client':
      return bearer(t.key('client', 'production'));
  }
}

// A body that fails validation everywhere, so allowed requests change nothing either.
const BODY = JSON.stringify({ 'not a field': true });

async function status(method: string, path: string, credential: Credential) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...headerFor(credential),
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
    },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: BODY }),
  });
  const body = (await response.json().catch(() => undefined)) as {
    error?: { code: string; message: string };
  };
  return { status: response.status, body };
}

const EXPECTED: Record<Credential, 'allowed' | 401 | 403> = {
  none: 401,
  unknown: 401,
  malformed: 401,
  'revoked admin': 401,
  admin: 'allowed',
  server: 403,
  client: 403,
  'production client': 403,
};

// Routes SDK keys use too: POST /v1/events ingests their batches (an admin key creates one event).
const SDK_ROUTES = new Set(['POST /v1/events']);

describe('auth matrix', () => {
  it('guards every management route: admin keys only, 401 without a live key, 403 for SDK keys', async () => {
    const routes = managementRoutes(f);
    expect(routes.length).toBeGreaterThan(40);
    for (const [method, path] of routes) {
      for (const credential of Object.keys(EXPECTED) as Credential[]) {
        const answer = await status(method, path, credential);
        const sdk = SDK_ROUTES.has(`${method} ${path}`) && EXPECTED[credential] === 403;
        const expected = sdk ? 'allowed' : EXPECTED[credential];
        const where = `${credential} ${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`;
        if (expected === 'allowed') {
          expect([401, 403], where).not.toContain(answer.status);
          expect(answer.status, where).toBeLessThan(500);
        } else {
          expect(answer.status, where).toBe(expected);
          expect(answer.body.error?.code, where).toBe(
            expected === 401 ? 'unauthorized' : 'forbidden',
          );
          expect(answer.body.error?.message.length, where).toBeGreaterThan(0);
        }
      }
    }
  });

  it('lets every kind read its config, and nobody without a key', async () => {
    const expected: Record<Credential, number> = {
      none: 401,
      unknown: 401,
      malformed: 401,
      'revoked admin': 401,
      admin: 200,
      server: 200,
      client: 200,
      'production client': 200,
    };
    for (const credential of Object.keys(expected) as Credential[]) {
      expect((await status('GET', '/v1/config', credential)).status, credential).toBe(
        expected[credential],
      );
    }
    expect((await status('GET', '/v1/config?environment=production', 'client')).status).toBe(403);
    expect(
      (await status('GET', '/v1/config?environment=production', 'production client')).status,
    ).toBe(200);
  });

  it('serves health and metrics to anyone', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await fetch(`${t.url}${path}`)).status).toBe(200);
    }
  });

  it('lets revocation take effect at once, and answers 401 with WWW-Authenticate', async () => {
    const made = await t.api('POST', '/v1/keys', { kind: 'admin' });
    expect((await t.api('GET', '/v1/log', undefined, made.body.secret)).status).toBe(200);
    await t.api('POST', `/v1/keys/${made.body.id}/revoke`);
    const answer = await t.api('GET', '/v1/log', undefined, made.body.secret);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });
});
