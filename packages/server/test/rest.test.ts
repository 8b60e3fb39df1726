import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONBOARDING } from './support/switchyard';
import type { TestServer } from './support/server';
import { startServer } from './support/server';

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(async () => {
  await t.close();
});

function expectError(answer: { status: number; body: any }, status: number, code?: string) {
  expect(answer.status).toBe(status);
  expect(answer.body.error.message).toEqual(expect.any(String));
  expect(answer.body.error.message.length).toBeGreaterThan(0);
  if (code) expect(answer.body.error.code).toBe(code);
}

describe('REST API', () => {
  it('creates with 201 and a Location, reads, patches and deletes', async () => {
    const created = await t.api('POST', '/v1/experiments', ONBOARDING);
    expect(created.status).toBe(201);
    const id = created.body.$id;
    expect(created.headers.get('location')).toBe(`/v1/experiments/${id}`);
    expect((await t.api('GET', `/v1/experiments/${id}`)).body).toEqual(created.body);
    const patched = await t.api('PATCH', `/v1/experiments/${id}`, { description: 'why' });
    expect(patched.body.description).toBe('why');
    const deleted = await t.api('DELETE', `/v1/experiments/${id}`);
    expect(deleted.status).toBe(200);
    expectError(await t.api('GET', `/v1/experiments/${id}`), 404, 'not_found');
  });

  it('answers zod failures with 400 and issues with paths', async () => {
    const answer = await t.api('POST', '/v1/experiments', {
      ...ONBOARDING,
      variants: [{ key: 'a', weight: -1 }],
    });
    expectError(answer, 400, 'invalid_input');
    expect(answer.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['variants'], message: expect.any(String) }),
      ]),
    );
  });

  it('answers malformed JSON, non-object bodies and oversized bodies with 4xx', async () => {
    expectError(await t.raw('POST', '/v1/experiments', '{"name": '), 400, 'malformed_json');
    expectError(await t.raw('POST', '/v1/experiments', '"just a string"'), 400, 'malformed_json');
    expectError(await t.api('POST', '/v1/experiments', [1, 2]), 400);
    const huge = JSON.stringify({ ...ONBOARDING, description: 'x'.repeat(600_000) });
    expectError(await t.raw('POST', '/v1/experiments', huge), 413, 'payload_too_large');
  });

  it('runs custom verbs and refuses illegal transitions with 409', async () => {
    const { body } = await t.api('POST', '/v1/experiments', ONBOARDING);
    expect((await t.api('POST', `/v1/experiments/${body.$id}/start`)).body.status).toBe('Running');
    const again = await t.api('POST', `/v1/experiments/${body.$id}/start`);
    expectError(again, 409, 'illegal_transition');
    expect(again.body.error.message).toContain('Running');
    expectError(await t.api('POST', `/v1/experiments/${body.$id}/explode`), 404);
    expectError(await t.api('POST', '/v1/experiments/experiment_nope/start'), 404);
    expectError(await t.api('GET', '/v1/nothing'), 404);
  });

  it('lists with filter, sort, limit, offset and asOf', async () => {
    const env = '?environment=production';
    const a = await t.api('POST', `/v1/flags${env}`, { key: 'alpha' });
    const at = new Date(Date.now()).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await t.api('POST', `/v1/flags${env}`, { key: 'beta', enabled: true });
    await t.api('POST', `/v1/flags/${a.body.$id}/enable${env}`);
    const enabled = await t.api(
      'GET',
      `/v1/flags${env}&filter=${encodeURIComponent('{"enabled":true}')}&sort=-key`,
    );
    expect(enabled.body.data.map((f: { key: string }) => f.key)).toEqual(['beta', 'alpha']);
    expect(enabled.body.total).toBe(2);
    const page = await t.api('GET', `/v1/flags${env}&sort=key&limit=1&offset=1`);
    expect(page.body.data.map((f: { key: string }) => f.key)).toEqual(['beta']);
    const past = await t.api('GET', `/v1/flags${env}&asOf=${encodeURIComponent(at)}`);
    expect(past.body.data).toMatchObject([{ key: 'alpha', enabled: false }]);
    expectError(await t.api('GET', `/v1/flags${env}&filter=nope`), 400);
    expectError(await t.api('GET', `/v1/flags${env}&limit=0`), 400);
    expectError(await t.api('GET', '/v1/flags?environment=Bad_Env'), 400);
    expectError(await t.api('GET', '/v1/flags?environment=staging'), 404);
    expect(
      (await t.api('GET', '/v1/flags')).body.data.map((f: { key: string }) => f.key),
    ).not.toContain('beta');
  });

  it('serves the domain log in seq order with filters', async () => {
    const log = await t.api('GET', '/v1/log?limit=3');
    expect(log.body.data.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    const next = await t.api('GET', `/v1/log?after=${log.body.next}&type=featureflag.created`);
    expect(next.body.data.every((e: { type: string }) => e.type === 'featureflag.created')).toBe(
      true,
    );
    expectError(await t.api('GET', '/v1/log?after=-1'), 400);
  });

  it('records metric points and lists them', async () => {
    const point = await t.api('POST', '/v1/metrics/record', {
      name: 'm.x',
      value: 2,
      dimensions: { a: 'b' },
    });
    expect(point.status).toBe(201);
    expect((await t.api('GET', '/v1/metrics/points?name=m.x')).body.data).toMatchObject([
      { value: 2 },
    ]);
    const defined = await t.api('POST', '/v1/metrics', {
      name: 'activation_rate',
      kind: 'conversion',
      event: 'done',
    });
    expect((await t.api('GET', `/v1/metrics/${defined.body.$id}`)).body.name).toBe(
      'activation_rate',
    );
    expect((await t.api('GET', '/v1/metrics/activation_rate')).body.$id).toBe(defined.body.$id);
  });

  it('creates, lists and revokes keys; secrets are shown once', async () => {
    const created = await t.api('POST', '/v1/keys', { kind: 'client', environment: 'production' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^sy_client_[0-9A-Za-z]{32}$/);
    const listed = await t.api('GET', '/v1/keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(listed.body)).not.toContain('hash');
    expect(listed.body.data.find((k: { id: string }) => k.id === created.body.id).prefix).toBe(
      created.body.secret.slice(0, 16),
    );
    expect((await t.api('GET', '/v1/config', undefined, created.body.secret)).status).toBe(200);
    expect((await t.api('DELETE', `/v1/keys/${created.body.id}`)).body.revokedAt).toEqual(
      expect.any(String),
    );
    expectError(await t.api('GET', '/v1/config', undefined, created.body.secret), 401);
    expectError(await t.api('POST', '/v1/keys', { kind: 'client' }), 400);
    expectError(await t.api('POST', '/v1/keys', { kind: 'server', environment: 'staging' }), 404);
  });

  it('refuses to revoke the last admin key', async () => {
    const admins = (await t.api('GET', '/v1/keys')).body.data.filter(
      (k: { kind: string }) => k.kind === 'admin',
    );
    expect(admins).toHaveLength(1);
    expectError(await t.api('DELETE', `/v1/keys/${admins[0].id}`), 409, 'last_admin_key');
  });

  it('serves the config with ETags; client keys never see serverOnly flags', async () => {
    await t.api('POST', '/v1/flags', { key: 'internal', serverOnly: true });
    const server = await t.api('GET', '/v1/config', undefined, t.key('server'));
    expect(Object.keys(server.body.flags)).toContain('internal');
    const client = await t.api('GET', '/v1/config', undefined, t.key('client'));
    expect(Object.keys(client.body.flags)).not.toContain('internal');
    const etag = client.headers.get('etag')!;
    const again = await fetch(`${t.url}/v1/config`, {
      headers: { authorization: `Bearer ${t.key('client')}`, 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expectError(
      await t.api('GET', '/v1/config?environment=production', undefined, t.key('client')),
      403,
    );
    expect((await t.api('GET', '/v1/config?environment=production')).body.environment).toBe(
      'production',
    );
  });

  it('answers health, readiness and Prometheus metrics without a key', async () => {
    expect((await t.api('GET', '/healthz', undefined, null)).body).toEqual({ status: 'ok' });
    expect((await t.api('GET', '/readyz', undefined, null)).body).toMatchObject({
      status: 'ready',
      engine: 'sqlite',
    });
    const metrics = await t.api('GET', '/metrics', undefined, null);
    expect(metrics.body).toContain('switchyard_http_requests_total');
    expect(metrics.body).toContain('switchyard_verbs_total{verb="Experiment.create",outcome="ok"}');
  });
});
