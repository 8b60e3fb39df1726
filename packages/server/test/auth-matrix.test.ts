import { CloseCodes } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from './support/fixtures';
import { createFixtures, managementRoutes } from './support/fixtures';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { StreamClient } from './support/stream-client';

let t: TestServer;
let f: Fixtures;
let revoked: string;
beforeAll(async () => {
  t = await startServer({ webhooks: false });
  f = await createFixtures(t);
  await t.api('POST', '/v1/flags', { key: 'staff-tools', serverOnly: true, enabled: true });
  await t.api('POST', '/v1/flags?environment=production', { key: 'prod-flag', enabled: true });
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

/** What a credential sends as its key (a bearer, `?key=`, a hello); undefined for none. */
function secretOf(credential: Credential): string | undefined {
  switch (credential) {
    case 'none':
      return undefined;
    case 'unknown':
      return 'sy_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    case 'malformed':
      return 'YWRtaW46YWRtaW4=';
    case 'revoked admin':
      return revoked;
    case 'admin':
      return t.admin;
    case 'server':
      return t.key('server');
    case 'client':
      return t.key('client');
    case 'production client':
      return t.key('client', 'production');
  }
}

function headerFor(credential: Credential): Record<string, string> {
  if (credential === 'malformed') return { authorization: `Basic ${secretOf(credential)}` };
  const secret = secretOf(credential);
  return secret === undefined ? {} : { authorization: `Bearer ${secret}` };
}

// A body that fails validation everywhere, so allowed requests change nothing either.
const BODY = JSON.stringify({ 'not a field': true });

async function status(method: string, path: string, credential: Credential, body = BODY) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...headerFor(credential),
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
    },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body }),
  });
  // Tests read whatever the answer holds.
  const answer = (await response.json().catch(() => undefined)) as any;
  return { status: response.status, body: answer };
}

/** Expects a refusal with the error shape: 401 unauthorized or 403 forbidden, with a message. */
function expectRefused(answer: { status: number; body: any }, expected: 401 | 403, where: string) {
  expect(answer.status, where).toBe(expected);
  expect(answer.body?.error?.code, where).toBe(expected === 401 ? 'unauthorized' : 'forbidden');
  expect(answer.body?.error?.message.length, where).toBeGreaterThan(0);
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
    // The workflow's verbs first: the collection routes below delete it.
    const routes = [
      ...['pause', 'resume', 'cancel'].map(
        (verb) => ['POST', `/v1/workflows/${f.workflow}/${verb}`] as [string, string],
      ),
      ...managementRoutes(f),
    ];
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
          expectRefused(answer, expected, where);
        }
      }
    }
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

const CREDENTIALS = Object.keys(EXPECTED) as Credential[];
const DEAD: Credential[] = ['none', 'unknown', 'malformed', 'revoked admin'];
const SDK_KEYS: Credential[] = ['server', 'client', 'production client'];

let eventIds = 0;
const batch = () => JSON.stringify({ events: [{ id: `auth-${++eventIds}`, type: 'clicked' }] });

describe('auth matrix: SDK routes', () => {
  it('POST /v1/evaluate: every live key, each in its own view; 401 without one', async () => {
    const body = JSON.stringify({ context: { userId: 'u-1' } });
    for (const credential of CREDENTIALS) {
      const answer = await status('POST', '/v1/evaluate', credential, body);
      const where = `${credential} → ${answer.status} ${JSON.stringify(answer.body)}`;
      if (DEAD.includes(credential)) {
        expectRefused(answer, 401, where);
        continue;
      }
      expect(answer.status, where).toBe(200);
      const flags = Object.keys(answer.body.flags);
      if (credential === 'production client') expect(flags, where).toEqual(['prod-flag']);
      else expect(flags.includes('staff-tools'), where).toBe(credential !== 'client');
    }
    const other = await status('POST', '/v1/evaluate?environment=production', 'client', body);
    expectRefused(other, 403, 'a development client key asking for production');
  });

  it('POST /v1/events: SDK keys ingest a batch, admin keys reach Event.create, others 401', async () => {
    for (const credential of CREDENTIALS) {
      const answer = await status('POST', '/v1/events', credential, batch());
      const where = `${credential} → ${answer.status} ${JSON.stringify(answer.body)}`;
      if (DEAD.includes(credential)) expectRefused(answer, 401, where);
      else if (credential === 'admin') {
        // The management route: a batch is not one event, so it is refused as input.
        expect(answer.status, where).toBe(400);
        expect(answer.body.error.code, where).toBe('invalid_input');
      } else expect(answer.body, where).toMatchObject({ accepted: 1 });
    }
  });

  it('POST /v1/events?key= (sendBeacon): client keys only, never a secret key in the URL', async () => {
    const made = await t.api('POST', '/v1/keys', { kind: 'client', environment: 'development' });
    await t.api('DELETE', `/v1/keys/${made.body.id}`);
    const beacon = async (secret: string | undefined) => {
      const query = secret === undefined ? '' : `?key=${encodeURIComponent(secret)}`;
      const response = await fetch(`${t.url}/v1/events${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: batch(),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    for (const credential of CREDENTIALS) {
      const answer = await beacon(secretOf(credential));
      const where = `${credential} → ${answer.status} ${JSON.stringify(answer.body)}`;
      if (DEAD.includes(credential)) expectRefused(answer, 401, where);
      else if (credential === 'admin' || credential === 'server') expectRefused(answer, 403, where);
      else expect(answer.body, where).toMatchObject({ accepted: 1 });
    }
    expectRefused(await beacon(made.body.secret), 401, 'a revoked client key');
  });

  it('GET /v1/config: every live key in its own environment; client keys never see serverOnly', async () => {
    for (const credential of CREDENTIALS) {
      const answer = await status('GET', '/v1/config', credential);
      const where = `${credential} → ${answer.status}`;
      if (DEAD.includes(credential)) {
        expectRefused(answer, 401, where);
        continue;
      }
      expect(answer.status, where).toBe(200);
      expect(answer.body.environment, where).toBe(
        credential === 'production client' ? 'production' : 'development',
      );
      expect('staff-tools' in answer.body.flags, where).toBe(
        credential === 'admin' || credential === 'server',
      );
    }
    expectRefused(await status('GET', '/v1/config?environment=production', 'client'), 403, 'env');
    const production = await status(
      'GET',
      '/v1/config?environment=production',
      'production client',
    );
    expect(production.status).toBe(200);
  });

  it('/v1/stream: a hello with a dead key closes 4401 (4400 without one); live keys get their view', async () => {
    for (const credential of CREDENTIALS) {
      const secret = secretOf(credential);
      const socket = await StreamClient.open(t.url);
      socket.send({ type: 'hello', ...(secret === undefined ? {} : { key: secret }) });
      if (DEAD.includes(credential)) {
        const closed = await socket.closed;
        const code = credential === 'none' ? CloseCodes.badMessage : CloseCodes.unauthorized;
        expect(closed.code, credential).toBe(code);
        expect(closed.reason.length, credential).toBeGreaterThan(0);
        continue;
      }
      await socket.next((m) => m.type === 'snapshot');
      const flags = Object.keys(socket.snapshot!.flags);
      if (credential === 'production client') expect(flags).toEqual(['prod-flag']);
      else expect(flags.includes('staff-tools'), credential).toBe(credential !== 'client');
      await socket.close();
    }
  });
});
