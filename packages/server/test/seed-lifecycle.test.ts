import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { ONBOARDING, seedHooks } from './support/switchyard';

describe.each(ENGINES)('the seed lifecycle over REST on $name', (engine) => {
  let t: TestServer;
  let database: ReturnType<typeof engine.serverDb>;
  beforeAll(async () => {
    database = engine.serverDb();
    t = await startServer({
      db: database.db,
      ...(database.schema ? { schema: database.schema } : {}),
      hooks: seedHooks,
      webhooks: false,
    });
  });
  afterAll(async () => {
    await t.close();
    await database.dispose();
  });

  it('runs create → start → event → conclude → hook flag → rollout → workflow → metric', async () => {
    const created = await t.api('POST', '/v1/experiments', ONBOARDING);
    expect(created.status).toBe(201);
    const id: string = created.body.$id;
    expect(id).toMatch(/^experiment_[0-9A-Za-z]{8}$/);
    expect((await t.api('POST', `/v1/experiments/${id}/start`)).body.status).toBe('Running');
    const event = await t.api('POST', '/v1/events', {
      type: 'onboarding.completed',
      properties: { experiment: id, variant: 'simplified', duration: 45 },
    });
    expect(event.status).toBe(201);
    const concluded = await t.api('POST', `/v1/experiments/${id}/conclude`, {
      winner: 'simplified',
      confidence: 0.97,
      lift: 0.18,
    });
    expect(concluded.body).toMatchObject({
      status: 'Concluded',
      winner: 'simplified',
      confidence: 0.97,
      lift: 0.18,
    });
    const flag = await t.api('GET', '/v1/flags/onboarding-v2');
    expect(flag.body).toMatchObject({
      enabled: true,
      rolloutPercent: 10,
      description: 'Onboarding Flow V2',
    });
    const flagId: string = flag.body.$id;
    expect(flagId).toMatch(/^featureflag_[0-9A-Za-z]{8}$/);
    const rolled = await t.api('POST', `/v1/flags/${flagId}/rollout`, { percent: 50 });
    expect(rolled.body.rolloutPercent).toBe(50);
    const workflow = await t.api('POST', '/v1/workflows', {
      name: 'Rollout: onboarding-v2',
      trigger: { type: 'schedule', cron: '0 9 * * MON' },
      steps: [
        { action: 'FeatureFlag.rollout', id: flagId, percent: 10, delay: '0w' },
        { action: 'FeatureFlag.rollout', id: flagId, percent: 50, delay: '1w' },
        { action: 'FeatureFlag.rollout', id: flagId, percent: 100, delay: '2w' },
      ],
    });
    expect(workflow.status).toBe(201);
    const metric = await t.api('POST', '/v1/metrics/record', {
      name: 'experiments.concluded',
      value: 1,
      dimensions: { winner: 'simplified' },
    });
    expect(metric.status).toBe(201);

    const log = (await t.api('GET', '/v1/log')).body.data as {
      seq: number;
      type: string;
      payload: unknown;
    }[];
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.map((e) => [e.type, e.payload])).toEqual([
      ['experiment.created', { $id: id, variants: 2 }],
      ['experiment.started', { status: 'Running' }],
      ['event.created', { type: 'onboarding.completed', variant: 'simplified' }],
      ['experiment.concluded', { winner: 'simplified', confidence: 0.97 }],
      ['featureflag.created', { key: 'onboarding-v2', rolloutPercent: 10 }],
      ['featureflag.enabled', { $id: flagId }],
      ['featureflag.rolledout', { percent: 50 }],
      ['workflow.created', { $id: workflow.body.$id, steps: 3 }],
      ['metric.recorded', { name: 'experiments.concluded', value: 1 }],
    ]);

    const config = await t.api('GET', '/v1/config', undefined, t.key('client'));
    // The config's version is its last change (the rollout, seq 7): workflows and metric points
    // are not config.
    expect(config.body.version).toBe(7);
    expect(config.body.flags['onboarding-v2']).toMatchObject({
      enabled: true,
      salt: 'onboarding-v2',
      rules: [{ rollout: 50, variant: 'simplified' }],
    });
    expect(config.body.experiments[id]).toMatchObject({
      status: 'Concluded',
      winner: 'simplified',
    });
  });
});
