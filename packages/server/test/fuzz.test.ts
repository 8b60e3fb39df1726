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
  t = await startServer({ webhooks: false });
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
