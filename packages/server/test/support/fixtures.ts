import type { TestServer } from './server';
import { ONBOARDING } from './switchyard';

/** One of every entity, for tests that hit every route with a real id. */
export interface Fixtures {
  draft: string;
  running: string;
  flag: string;
  segment: string;
  metric: string;
  workflow: string;
  webhook: string;
  event: string;
  key: string;
}

export async function createFixtures(t: TestServer): Promise<Fixtures> {
  const id = async (path: string, body: unknown) => {
    const answer = await t.api('POST', path, body);
    if (answer.status !== 201) throw new Error(`fixture ${path}: ${JSON.stringify(answer.body)}`);
    return (answer.body.$id ?? answer.body.id) as string;
  };
  const draft = await id('/v1/experiments', ONBOARDING);
  const running = await id('/v1/experiments', ONBOARDING);
  await t.api('POST', `/v1/experiments/${running}/start`);
  const flag = await id('/v1/flags', { key: 'fixture-flag', variant: 'v', rolloutPercent: 10 });
  return {
    draft,
    running,
    flag,
    segment: await id('/v1/segments', { key: 'fixture-segment', condition: { country: 'DE' } }),
    metric: await id('/v1/metrics', { name: 'fixture_metric', kind: 'conversion', event: 'done' }),
    workflow: await id('/v1/workflows', {
      name: 'w',
      trigger: { type: 'manual' },
      steps: [{ action: 'FeatureFlag.rollout', id: flag, percent: 20 }],
    }),
    webhook: await id('/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: ['*'] }),
    event: await id('/v1/events', { id: 'fixture-event', type: 'done' }),
    key: await id('/v1/keys', { kind: 'client', environment: 'production' }),
  };
}

/** Every management route, with real ids. */
export function managementRoutes(f: Fixtures): [method: string, path: string][] {
  const routes: [string, string][] = [];
  const collections: [string, string][] = [
    ['experiments', f.draft],
    ['flags', f.flag],
    ['segments', f.segment],
    ['metrics', f.metric],
    ['workflows', f.workflow],
    ['webhooks', f.webhook],
  ];
  for (const [path, id] of collections) {
    routes.push(
      ['GET', `/v1/${path}`],
      ['POST', `/v1/${path}`],
      ['GET', `/v1/${path}/${id}`],
      ['PATCH', `/v1/${path}/${id}`],
      ['DELETE', `/v1/${path}/${id}`],
    );
  }
  for (const verb of ['start', 'pause', 'resume', 'stop', 'conclude', 'archive']) {
    routes.push(['POST', `/v1/experiments/${f.running}/${verb}`]);
  }
  for (const verb of ['enable', 'disable', 'rollout', 'rollback', 'archive'])
    routes.push(['POST', `/v1/flags/${f.flag}/${verb}`]);
  routes.push(
    ['GET', `/v1/experiments/${f.running}/results`],
    ['GET', '/v1/experiments/sample-size?baseline=0.1&minimumDetectableEffect=0.2'],
    ['POST', '/v1/experiments/sample-size'],
    ['GET', '/v1/events'],
    ['POST', '/v1/events'],
    ['GET', `/v1/events/${f.event}`],
    ['POST', '/v1/metrics/record'],
    ['GET', '/v1/metrics/points'],
    ['GET', `/v1/webhooks/${f.webhook}/deliveries`],
    ['GET', '/v1/log'],
    ['GET', '/v1/keys'],
    ['POST', '/v1/keys'],
    ['DELETE', `/v1/keys/${f.key}`],
    ['POST', `/v1/keys/${f.key}/revoke`],
    ['GET', '/v1/environments'],
    ['POST', '/v1/environments'],
  );
  return routes;
}
