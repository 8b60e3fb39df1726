import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TENSES } from '@switchyard/server';
import { afterEach, describe, expect, it } from 'vitest';
// The REST routes as the server declares them, to hold the SDK's table against.
import { COLLECTIONS } from '../../server/src/http/routes/collection';
import {
  apiErrorOf,
  ConflictError,
  createManagement,
  FACADES,
  NotFoundError,
  PAST,
  RefusedError,
  SwitchyardApiError,
  ValidationError,
} from '../src';
import type { FacadeName, Management, VerbRoute } from '../src';
import { ADMIN_KEY, startRealServer } from './support/real-server';

/** An HTTP server on 127.0.0.1 that answers with `handler`; records the requests. */
async function httpStub(
  handler: (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => void,
) {
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, seen, close };
}

const json =
  (status: number, body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('the management API', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('serves every route of the server’s REST collections with the server’s verb names', () => {
    for (const spec of COLLECTIONS) {
      const facade = FACADES[spec.facade as FacadeName];
      expect(facade, spec.facade).toBeDefined();
      expect(facade.path).toBe(spec.path);
      const verbs = facade.verbs as Record<string, VerbRoute>;
      const expected: Record<string, VerbRoute['kind']> = {
        [spec.create]: 'create',
        get: 'get',
        find: 'find',
        ...(spec.mutable ? { update: 'update', delete: 'delete' } : {}),
        ...Object.fromEntries(spec.actions.map((a) => [a, 'action'])),
      };
      for (const [verb, kind] of Object.entries(expected)) {
        expect(verbs[verb]?.kind, `${spec.facade}.${verb}`).toBe(kind);
      }
    }
    expect(Object.keys(FACADES).sort()).toEqual(COLLECTIONS.map((c) => c.facade).sort());
  });

  it('reaches a route of the real server with every verb of its table and with evaluate', async () => {
    const real = await startRealServer();
    cleanups.push(() => real.close());
    const $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
    // An input each route accepts as a request (the server may still refuse its values).
    const probe = (route: VerbRoute) =>
      ['create', 'find', 'post', 'compute', 'list'].includes(route.kind) ? {} : { id: 'probe_x' };
    const calls: [string, () => Promise<unknown>][] = [];
    for (const [facade, { verbs }] of Object.entries(FACADES)) {
      const api = $[facade as FacadeName] as unknown as Record<string, (i: unknown) => unknown>;
      for (const [verb, route] of Object.entries(verbs as Record<string, VerbRoute>)) {
        calls.push([`${facade}.${verb}`, async () => api[verb]!(probe(route))]);
      }
    }
    calls.push(['evaluate', () => $.evaluate({ context: { userId: 'u' } })]);
    for (const [name, call] of calls) {
      const answer = await call().catch((error: unknown) => error);
      // A request no route serves answers `no route …`; a verb the collection lacks, `no verb …`.
      const message = answer instanceof Error ? answer.message : '';
      expect(message, name).not.toMatch(/^no (route|verb) /);
    }
  });

  it('sends results, sampleSize and evaluate where the server serves them', async () => {
    const stub = await httpStub(json(200, {}));
    cleanups.push(stub.close);
    const $: Management = createManagement({
      url: stub.url,
      adminKey: 'k',
      environment: 'production',
      hooks: { after: 0 },
    });
    await $.Experiment.results({ id: 'experiment_x', metric: 'revenue' });
    await $.Experiment.results('experiment_x');
    await $.Experiment.sampleSize({ baseline: 0.1, minimumDetectableEffect: 0.2, power: 0.9 });
    await $.evaluate({ context: { userId: 'u1' }, flags: ['banner'] });
    await $.evaluate({ contexts: [{ userId: 'u1' }, { userId: 'u2' }] });
    expect(stub.seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', '/v1/experiments/experiment_x/results?metric=revenue&environment=production', ''],
      ['GET', '/v1/experiments/experiment_x/results?environment=production', ''],
      [
        'POST',
        '/v1/experiments/sample-size?environment=production',
        '{"baseline":0.1,"minimumDetectableEffect":0.2,"power":0.9}',
      ],
      [
        'POST',
        '/v1/evaluate?environment=production',
        '{"context":{"userId":"u1"},"flags":["banner"]}',
      ],
      [
        'POST',
        '/v1/evaluate?environment=production',
        '{"contexts":[{"userId":"u1"},{"userId":"u2"}]}',
      ],
    ]);
  });

  it('names every after-hook as the server does', () => {
    expect(PAST).toEqual(
      Object.fromEntries(Object.entries(TENSES).map(([verb, tense]) => [verb, tense.past])),
    );
  });

  it('takes url and admin key from SWITCHYARD_URL and SWITCHYARD_ADMIN_KEY, and needs both', async () => {
    const stub = await httpStub(json(200, { $id: 'experiment_x', status: 'Running' }));
    cleanups.push(stub.close);
    expect(() => createManagement({ adminKey: 'k' })).toThrow(/SWITCHYARD_URL/);
    expect(() => createManagement({ url: stub.url })).toThrow(/SWITCHYARD_ADMIN_KEY/);
    process.env.SWITCHYARD_URL = `${stub.url}/`;
    process.env.SWITCHYARD_ADMIN_KEY = 'admin-secret';
    try {
      const $ = createManagement({ hooks: { after: 0 } });
      await $.Experiment.start({ id: 'experiment_x' });
      await $.env('production').FeatureFlag.rollout({ id: 'new checkout', percent: 50 });
      await $.Experiment.find({ filter: { status: 'Running' }, sort: '-createdAt', limit: 5 });
    } finally {
      delete process.env.SWITCHYARD_URL;
      delete process.env.SWITCHYARD_ADMIN_KEY;
    }
    expect(stub.seen.map((r) => [r.method, decodeURIComponent(r.url), r.auth, r.body])).toEqual([
      [
        'POST',
        '/v1/experiments/experiment_x/start?environment=development',
        'Bearer admin-secret',
        '{}',
      ],
      [
        'POST',
        '/v1/flags/new checkout/rollout?environment=production',
        'Bearer admin-secret',
        '{"percent":50}',
      ],
      [
        'GET',
        '/v1/experiments?filter={"status":"Running"}&sort=-createdAt&limit=5&environment=development',
        'Bearer admin-secret',
        '',
      ],
    ]);
  });

  it('asks where the log ends once, before its first verb, so later hooks hear that verb', async () => {
    const stub = await httpStub((req, res) =>
      json(200, req.url === '/readyz' ? { status: 'ready', version: 41 } : { $id: 'e' })(req, res),
    );
    cleanups.push(stub.close);
    const $ = createManagement({ url: stub.url, adminKey: 'k' });
    await Promise.all([$.Experiment.get('e'), $.FeatureFlag.get({ id: 'f' })]);
    expect(stub.seen.map((r) => r.url.split('?')[0])).toEqual([
      '/readyz',
      '/v1/experiments/e',
      '/v1/flags/f',
    ]);
  });

  it('refuses a verb without an id before sending anything', async () => {
    const stub = await httpStub(json(200, {}));
    cleanups.push(stub.close);
    const $ = createManagement({ url: stub.url, adminKey: 'k', hooks: { after: 0 } });
    const error = await $.Experiment.start({} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', issues: [{ path: ['id'] }] });
    expect(stub.seen).toEqual([]);
  });

  it('turns error answers into typed errors carrying status, code, message and issues', () => {
    const request = { method: 'POST', path: '/v1/experiments' };
    const body = (code: string) => ({ error: { code, message: `a ${code}` } });
    expect(apiErrorOf(404, body('not_found'), request)).toBeInstanceOf(NotFoundError);
    const conflict = apiErrorOf(409, body('illegal_transition'), request);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toBeInstanceOf(SwitchyardApiError);
    expect(conflict).toMatchObject({
      status: 409,
      code: 'illegal_transition',
      message: 'a illegal_transition',
      name: 'ConflictError',
      request,
    });
    expect(apiErrorOf(422, body('refused_by_hook'), request)).toBeInstanceOf(RefusedError);
    const invalid = apiErrorOf(
      400,
      {
        error: {
          code: 'invalid_input',
          message: 'bad',
          issues: [{ path: ['name'], message: 'x' }, 7],
        },
      },
      request,
    );
    expect(invalid).toMatchObject({ issues: [{ path: ['name'], message: 'x' }] });
    const unknown = apiErrorOf(502, '<html>bad gateway</html>', request);
    expect(unknown.constructor).toBe(SwitchyardApiError);
    expect(unknown).toMatchObject({ status: 502, code: 'internal' });
  });

  it('reports no answer as unreachable, a slow one as timeout, a non-JSON one as bad_response', async () => {
    const closed = await httpStub(json(200, {}));
    await closed.close();
    const unreachable = createManagement({ url: closed.url, adminKey: 'k', hooks: { after: 0 } });
    await expect(unreachable.Experiment.get('e')).rejects.toMatchObject({
      status: 0,
      code: 'unreachable',
    });

    const slow = await httpStub(() => {});
    cleanups.push(slow.close);
    const waiting = createManagement({
      url: slow.url,
      adminKey: 'k',
      timeoutMs: 100,
      hooks: { after: 0 },
    });
    await expect(waiting.Experiment.get('e')).rejects.toMatchObject({ status: 0, code: 'timeout' });

    const html = await httpStub((_req, res) => res.writeHead(200).end('<html></html>'));
    cleanups.push(html.close);
    const garbled = createManagement({ url: html.url, adminKey: 'k', hooks: { after: 0 } });
    await expect(garbled.Experiment.get('e')).rejects.toMatchObject({
      status: 200,
      code: 'bad_response',
    });
  });
});
