import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from './support/fixtures';
import { createFixtures } from './support/fixtures';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { ONBOARDING } from './support/switchyard';

let t: TestServer;
let f: Fixtures;
beforeAll(async () => {
  // No rate limit: the ingestion fuzz sends hundreds of batches with one key.
  t = await startServer({ webhooks: false, realtime: { rateLimit: false } });
  f = await createFixtures(t);
});
afterAll(async () => {
  await t.close();
});

/** Each write route with a valid body; the fuzz breaks the body in ways that must be refused. */
function writeRoutes(): [method: string, path: string, template: Record<string, unknown>][] {
  const steps = [{ action: 'FeatureFlag.rollout', id: f.flag, percent: 10, delay: '0w' }];
  return [
    ['POST', '/v1/experiments', ONBOARDING],
    ['POST', '/v1/flags', { key: 'k', variant: 'v', rolloutPercent: 10, enabled: true, rules: [] }],
    ['POST', '/v1/segments', { key: 's2', condition: { a: 1 } }],
    ['POST', '/v1/metrics', { name: 'm2', kind: 'conversion', event: 'e', higherIsBetter: true }],
    ['POST', '/v1/metrics/record', { name: 'm', value: 1, dimensions: { a: 'b' } }],
    [
      'POST',
      '/v1/workflows',
      { name: 'w', trigger: { type: 'schedule', cron: '0 9 * * MON' }, steps },
    ],
    ['POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['*'], active: true }],
    ['POST', '/v1/events', { type: 't', unit: 'u', properties: { a: 1 } }],
    ['POST', '/v1/keys', { kind: 'client', environment: 'development', name: 'n' }],
    ['POST', '/v1/environments', { name: 'staging' }],
    ['PATCH', `/v1/experiments/${f.draft}`, { name: 'n', description: 'd', targetSampleSize: 5 }],
    ['PATCH', `/v1/flags/${f.flag}`, { description: 'd', rolloutPercent: 5, enabled: true }],
    ['PATCH', `/v1/segments/${f.segment}`, { condition: { a: 2 }, name: 'n' }],
    ['PATCH', `/v1/metrics/${f.metric}`, { description: 'd', kind: 'count' }],
    ['PATCH', `/v1/workflows/${f.workflow}`, { name: 'n', steps }],
    ['PATCH', `/v1/webhooks/${f.webhook}`, { active: false, events: ['*'] }],
    [
      'POST',
      `/v1/experiments/${f.running}/conclude`,
      { winner: 'control', confidence: 0.9, lift: 0.1 },
    ],
    ['POST', `/v1/flags/${f.flag}/rollout`, { percent: 20 }],
    ['POST', `/v1/experiments/${f.draft}/start`, {}],
    ['POST', `/v1/experiments/${f.running}/pause`, {}],
    ['POST', `/v1/experiments/${f.running}/stop`, {}],
    ['POST', `/v1/flags/${f.flag}/enable`, {}],
    ['POST', `/v1/flags/${f.flag}/archive`, {}],
  ];
}

/** A JSON value of another type than `value` (never null: null removes optional fields). */
function otherType(value: unknown): fc.Arbitrary<unknown> {
  const choices: fc.Arbitrary<unknown>[] = [];
  if (typeof value !== 'string') choices.push(fc.string({ maxLength: 20 }));
  if (typeof value !== 'number')
    choices.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
  if (typeof value !== 'boolean') choices.push(fc.boolean());
  if (!Array.isArray(value))
    choices.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    choices.push(
      fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    );
  }
  return fc.oneof(...choices);
}

/** A body that no route may accept: as raw text to send with a JSON content type. */
function malformedBody(template: Record<string, unknown>): fc.Arbitrary<string> {
  const fields = Object.keys(template);
  const brokenField =
    fields.length === 0
      ? []
      : [
          fc
            .constantFrom(...fields)
            .chain((field) =>
              otherType(template[field]).map((v) => JSON.stringify({ ...template, [field]: v })),
            ),
        ];
  const notJson = fc.string({ minLength: 1 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  });
  return fc.oneof(
    // A field of the wrong JSON type (most often: it reaches the schemas).
    ...brokenField.map((arbitrary) => ({ arbitrary, weight: 40 })),
    // A field no schema has.
    {
      arbitrary: fc
        .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }))
        .map(([name, v]) => JSON.stringify({ ...template, [`zz_${name}`]: v })),
      weight: 10,
    },
    // Not an object: a JSON primitive or an array.
    {
      arbitrary: fc
        .oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 })))
        .map((v) => JSON.stringify(v)),
      weight: 10,
    },
    // Not JSON at all.
    { arbitrary: notJson, weight: 10 },
    // Truncated JSON.
    {
      arbitrary: fc
        .integer({ min: 1, max: 30 })
        .map((n) => JSON.stringify(template).slice(0, -n))
        .filter((s) => s.length > 0),
      weight: 10,
    },
    // Over the size limit (rarely: each one is 600 KB on the wire).
    {
      arbitrary: fc.constant(JSON.stringify({ ...template, description: 'x'.repeat(600_000) })),
      weight: 1,
    },
  );
}

async function fingerprint() {
  const store = t.server.store;
  return store.read(async (r) => {
    const types = ['Experiment', 'FeatureFlag', 'Segment', 'Metric', 'Workflow', 'Webhook'];
    const entities = [];
    for (const env of await r.listEnvironments()) {
      for (const type of types) entities.push(await r.listEntities(type, env));
    }
    return JSON.stringify({
      seq: await r.latestSeq(),
      entities,
      keys: await r.listKeys(),
      environments: await r.listEnvironments(),
      events: await r.listEvents('development', { limit: 1000 }),
      points: await r.listMetricPoints('development', undefined, { limit: 1000 }),
    });
  });
}

describe('fuzzing the write routes', () => {
  it('answers 2,000 malformed bodies with a 4xx and a message, stays up and changes nothing', async () => {
    const before = await fingerprint();
    const routes = writeRoutes();
    const request = fc
      .integer({ min: 0, max: routes.length - 1 })
      .chain((i) => malformedBody(routes[i]![2]).map((body) => [routes[i]!, body] as const));
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async ([[method, path], body]) => {
        const answer = await t.raw(method, path, body);
        seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
        expect(answer.status, `${method} ${path} ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(
          400,
        );
        expect(answer.status, `${method} ${path} ${body.slice(0, 200)}`).toBeLessThan(500);
        expect(answer.body.error.code).toEqual(expect.any(String));
        expect(answer.body.error.message).toEqual(expect.any(String));
        expect(answer.body.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000, seed: 20260302 },
    );
    expect(await fingerprint()).toBe(before);
    expect((await t.api('GET', '/healthz', undefined, null)).status).toBe(200);
    expect(seen.get(400)).toBeGreaterThan(1000);
    expect(seen.get(413)).toBeGreaterThan(0);
  }, 60_000);
});

let runs = 0;
let nextId = 0;

/** A valid SDK event (a track event or an exposure) with a fresh id. */
function goodEvent(): fc.Arbitrary<Record<string, unknown>> {
  // Fresh on every value, shrunk ones too: a reused id would count as a duplicate.
  const id = fc.constant(null).map(() => `fuzz-${runs}-${++nextId}`);
  const track = fc.record(
    {
      id,
      type: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s !== '$exposure'),
      unit: fc.string({ minLength: 1, maxLength: 20 }),
      timestamp: fc.integer({ min: 0, max: 4_000_000_000_000 }),
      properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
    },
    { requiredKeys: ['id', 'type'] },
  );
  const exposure = fc.record({
    id,
    type: fc.constant('$exposure'),
    unit: fc.string({ minLength: 1, maxLength: 20 }),
    properties: fc.record({ experiment: fc.constant(f.running), variant: fc.constant('control') }),
  });
  return fc.oneof(track, exposure) as fc.Arbitrary<Record<string, unknown>>;
}

/** An event no schema admits: a good one with one field broken, or not an object at all. */
function badEvent(): fc.Arbitrary<unknown> {
  const broken = goodEvent().chain((event) =>
    fc.oneof(
      fc.constant({ ...event, id: undefined }),
      fc.constantFrom('', 'x'.repeat(129), 7, null).map((id) => ({ ...event, id })),
      fc.constantFrom('', 12, null, ['a']).map((type) => ({ ...event, type })),
      fc.constantFrom(-1, 1.5, 'yesterday', true).map((timestamp) => ({ ...event, timestamp })),
      fc.constantFrom('', 3, {}).map((unit) => ({ ...event, unit })),
      fc.constantFrom('text', [1, 2], 5).map((properties) => ({ ...event, properties })),
      // An exposure without its unit, or without the experiment it exposes.
      fc.constant({ ...event, type: '$exposure', unit: undefined }),
      fc.constant({ ...event, type: '$exposure', properties: { variant: 'control' } }),
    ),
  );
  const notAnObject = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.string(),
    fc.array(fc.boolean()),
  );
  return fc.oneof({ arbitrary: broken, weight: 5 }, { arbitrary: notAnObject, weight: 1 });
}

/** A batch whose events are each good or bad; `good[i]` says which. */
const mixedBatch = () =>
  fc
    .array(
      fc.oneof(
        goodEvent().map((e) => [true, e] as const),
        badEvent().map((e) => [false, e] as const),
      ),
      {
        maxLength: 12,
      },
    )
    .map((pairs) => ({ events: pairs.map(([, e]) => e), good: pairs.map(([ok]) => ok) }));

/** A request the route must refuse as a whole (even when it holds good events). */
const refusedBatch = (): fc.Arbitrary<{ body: string; status: number }> =>
  fc.oneof(
    // Not JSON, or JSON cut short.
    mixedBatch().map((b) => ({ body: JSON.stringify(b).slice(0, -1), status: 400 })),
    fc.constant({ body: '{"events": [', status: 400 }),
    // JSON, but not a batch.
    fc
      .oneof(fc.integer(), fc.string(), fc.array(goodEvent(), { maxLength: 3 }), fc.constant(null))
      .map((v) => ({ body: JSON.stringify(v), status: 400 })),
    mixedBatch().map((b) => ({ body: JSON.stringify({ events: { ...b.events } }), status: 400 })),
    fc.tuple(mixedBatch(), fc.constantFrom('', 'b'.repeat(129), 42, false)).map(([b, batchId]) => ({
      body: JSON.stringify({ batchId, events: b.events }),
      status: 400,
    })),
    // More events than a batch may carry (rarely: each one is large).
    {
      arbitrary: goodEvent().map((e) => ({
        body: JSON.stringify({
          events: Array.from({ length: 1001 }, (_, i) => ({ ...e, id: `${String(e.id)}-${i}` })),
        }),
        status: 413,
      })),
      weight: 1,
    },
  );

/** The ids in a request body that may have been stored (every string id it mentions). */
function idsIn(body: string): string[] {
  return [...body.matchAll(/"id":"(fuzz-[^"]+)"/g)].map((m) => m[1]!);
}

const stored = (ids: readonly string[]) =>
  t.server.store.read(async (r) => {
    const found: string[] = [];
    for (const id of ids) if (await r.getEvent(id)) found.push(id);
    return found;
  });

describe('fuzzing SDK ingestion (POST /v1/events)', () => {
  it('keeps exactly the good events of a batch and rejects each bad one with a reason', async () => {
    const server = t.key('server');
    await fc.assert(
      fc.asyncProperty(mixedBatch(), fc.boolean(), async (batch, beacon) => {
        runs += 1;
        const body = JSON.stringify({ events: batch.events });
        const answer = beacon
          ? await fetch(`${t.url}/v1/events?key=${t.key('client')}`, {
              method: 'POST',
              headers: { 'content-type': 'text/plain' },
              body,
            }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))
          : await t.raw('POST', '/v1/events', body, server);
        expect(answer.status, body.slice(0, 300)).toBe(200);
        const goodIndexes = batch.good.flatMap((ok, i) => (ok ? [i] : []));
        const badIndexes = batch.good.flatMap((ok, i) => (ok ? [] : [i]));
        expect(answer.body.accepted).toBe(goodIndexes.length);
        expect(answer.body.rejected.map((r: { index: number }) => r.index)).toEqual(badIndexes);
        for (const r of answer.body.rejected) expect(r.message.length).toBeGreaterThan(0);
        const goodIds = goodIndexes.map((i) => String((batch.events[i] as { id: string }).id));
        const badIds = idsIn(body).filter((id) => !goodIds.includes(id));
        expect(await stored(goodIds)).toEqual(goodIds);
        expect(await stored(badIds)).toEqual([]);
      }),
      { numRuns: 300, seed: 20260303 },
    );
  }, 60_000);

  it('answers a malformed batch with a 4xx and a message, and stores none of its events', async () => {
    const server = t.key('server');
    await fc.assert(
      fc.asyncProperty(refusedBatch(), async ({ body, status }) => {
        runs += 1;
        const answer = await t.raw('POST', '/v1/events', body, server);
        expect(answer.status, body.slice(0, 300)).toBe(status);
        expect(answer.body.error.code).toEqual(expect.any(String));
        expect(answer.body.error.message.length).toBeGreaterThan(0);
        expect(await stored(idsIn(body))).toEqual([]);
      }),
      { numRuns: 300, seed: 20260304 },
    );
    expect((await t.api('GET', '/healthz', undefined, null)).status).toBe(200);
  }, 60_000);
});
