import { suggestSampleSize } from '@switchyard/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  createManagement,
  ForbiddenError,
  NotFoundError,
  RefusedError,
  UnauthorizedError,
  ValidationError,
} from '../src';
import type { Management } from '../src';
import { ADMIN_KEY, startRealServer } from './support/real-server';
import type { RealServer } from './support/real-server';

const ONBOARDING = {
  name: 'Onboarding Flow V2',
  hypothesis: 'Simplified onboarding increases activation by 15%',
  variants: [
    { key: 'control', weight: 50 },
    { key: 'simplified', weight: 50 },
  ],
  metric: 'activation_rate',
  targetSampleSize: 1000,
};

describe('the management API against the real server', () => {
  let real: RealServer;
  let $: Management;
  beforeAll(async () => {
    real = await startRealServer({
      hooks: (server) => {
        // A before-hook on the server that refuses weak conclusions.
        server.Experiment.concluding((input) => {
          if ((input.confidence ?? 1) < 0.9) throw new Error('confidence below 90%');
        });
      },
    });
    $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
  });
  afterAll(async () => {
    await $.close();
    await real.close();
  });

  it('runs the lifecycle: create, start, an event, conclude; find and get answer the state', async () => {
    const experiment = await $.Experiment.create(ONBOARDING);
    expect(experiment.$id).toMatch(/^experiment_[0-9A-Za-z]{8}$/);
    expect(experiment).toMatchObject({ status: 'Draft', slug: 'onboarding-flow-v2' });
    expect((await $.Experiment.start({ id: experiment.$id })).status).toBe('Running');
    const event = await $.Event.create({
      type: 'onboarding.completed',
      properties: { experiment: experiment.$id, variant: 'simplified', duration: 45 },
    });
    expect(event).toMatchObject({ type: 'onboarding.completed', environment: 'development' });
    const concluded = await $.Experiment.conclude({
      id: experiment.$id,
      winner: 'simplified',
      confidence: 0.97,
      lift: 0.18,
    });
    expect(concluded).toMatchObject({ status: 'Concluded', winner: 'simplified', lift: 0.18 });

    const found = await $.Experiment.find({ filter: { status: 'Concluded' } });
    expect(found.total).toBe(1);
    expect(found.data[0]?.$id).toBe(experiment.$id);
    expect(await $.Experiment.get(experiment.$id)).toEqual(concluded);
    expect((await $.Experiment.find({ filter: { status: 'Running' } })).data).toEqual([]);

    const log = await $.log({ entityId: experiment.$id });
    expect(log.data.map((e) => e.type)).toEqual([
      'experiment.created',
      'experiment.started',
      'experiment.concluded',
    ]);
    expect(log.next).toBe(log.data.at(-1)!.seq);
  });

  it('manages flags by id or key, in an environment of its own', async () => {
    const prod = $.env('production');
    const flag = await prod.FeatureFlag.create({ key: 'new-checkout', rolloutPercent: 10 });
    await prod.FeatureFlag.enable({ id: flag.$id });
    const rolled = await prod.FeatureFlag.rollout({ id: 'new-checkout', percent: 50 });
    expect(rolled).toMatchObject({ enabled: true, rolloutPercent: 50, environment: 'production' });
    await expect($.FeatureFlag.get('new-checkout')).rejects.toBeInstanceOf(NotFoundError);
    const updated = await prod.FeatureFlag.update({ id: flag.$id, description: 'the new one' });
    expect(updated.description).toBe('the new one');
    await prod.FeatureFlag.delete('new-checkout');
    await expect(prod.FeatureFlag.get(flag.$id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('defines and records metrics, stores workflows and runs their verbs', async () => {
    await $.Metric.define({ name: 'activation_rate', kind: 'conversion', event: 'activated' });
    expect((await $.Metric.get('activation_rate')).kind).toBe('conversion');
    const point = await $.Metric.record({
      name: 'experiments.concluded',
      value: 1,
      dimensions: { winner: 'simplified' },
    });
    expect(point).toMatchObject({ name: 'experiments.concluded', value: 1 });
    const points = await $.Metric.points({ name: 'experiments.concluded' });
    expect(points.map((p) => p.dimensions)).toEqual([{ winner: 'simplified' }]);

    const flag = await $.FeatureFlag.create({ key: 'wf-flag' });
    const workflow = await $.Workflow.create({
      name: 'Rollout: wf-flag',
      trigger: { type: 'schedule', cron: '0 9 * * MON' },
      steps: [
        { action: 'FeatureFlag.rollout', id: flag.$id, percent: 10, delay: '0w' },
        { action: 'FeatureFlag.rollout', id: flag.$id, percent: 100, delay: '1w' },
      ],
    });
    expect(workflow).toMatchObject({
      status: 'Active',
      steps: [{ percent: 10 }, { percent: 100 }],
    });
    expect((await $.Workflow.cancel({ id: workflow.$id })).status).toBe('Cancelled');
  });

  it('reads results and sample sizes and evaluates contexts on the server', async () => {
    const staging = $.env('results-env');
    await $.Environment.create({ name: 'results-env' });
    const request = { baseline: 0.1, minimumDetectableEffect: 0.2 };
    const suggestion = await staging.Experiment.sampleSize(request);
    expect(suggestion).toEqual(suggestSampleSize(request));
    expect(suggestion.targetSampleSize).toBeGreaterThan(1000);

    await staging.Metric.define({
      name: 'activation_rate',
      kind: 'conversion',
      event: 'activated',
    });
    const experiment = await staging.Experiment.create({
      ...ONBOARDING,
      targetSampleSize: suggestion.targetSampleSize!,
    });
    await staging.Experiment.start({ id: experiment.$id });
    const results = await staging.Experiment.results({
      id: experiment.$id,
      metric: 'activation_rate',
    });
    expect(results).toMatchObject({
      experiment: experiment.$id,
      metricName: 'activation_rate',
      status: 'Running',
      totalUnits: 0,
      targetSampleSize: suggestion.targetSampleSize,
    });
    expect(results.variants.map((v) => [v.key, v.units])).toEqual([
      ['control', 0],
      ['simplified', 0],
    ]);
    await expect(staging.Experiment.results('experiment_missing1')).rejects.toBeInstanceOf(
      NotFoundError,
    );

    const flag = await staging.FeatureFlag.create({
      key: 'banner',
      serverOnly: true,
      rolloutPercent: 100,
    });
    await staging.FeatureFlag.enable({ id: flag.$id });
    const one = await staging.evaluate({
      context: { userId: 'u1' },
      flags: ['banner', 'absent'],
      defaults: { absent: 'fallback' },
    });
    expect(one.flags.banner).toMatchObject({ value: true });
    expect(one.flags.absent).toMatchObject({ value: 'fallback', errorCode: 'FLAG_NOT_FOUND' });
    expect(one.experiments[experiment.$id]?.variant).toMatch(/^(control|simplified)$/);
    const batch = await staging.evaluate({ contexts: [{ userId: 'u1' }, { userId: 'u2' }] });
    expect(batch.version).toBeGreaterThanOrEqual(one.version);
    expect(batch.results).toHaveLength(2);
    // Without a selection: every flag and experiment of the environment, serverOnly ones too.
    expect(batch.results[0]).toEqual({
      flags: { banner: one.flags.banner },
      experiments: one.experiments,
    });
    await expect(staging.evaluate({} as never)).rejects.toBeInstanceOf(ValidationError);
  });

  it('creates keys and environments and revokes keys', async () => {
    await $.Environment.create({ name: 'staging' });
    expect(await $.Environment.list()).toEqual(
      expect.arrayContaining(['development', 'production', 'staging']),
    );
    const key = await $.Key.create({ kind: 'server', environment: 'staging', name: 'ci' });
    expect(key.secret).toMatch(/^sy_server_/);
    expect((await $.Key.list()).map((k) => k.id)).toContain(key.id);
    expect((await $.Key.revoke(key.id)).revokedAt).not.toBeNull();
  });

  it('throws typed errors: 400 with issues, 404, 409, 422, 401 and 403', async () => {
    const invalid = await $.Experiment.create({
      name: 'One variant',
      variants: [{ key: 'only', weight: 1 }],
    }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({
      status: 400,
      code: 'invalid_input',
      issues: [{ path: ['variants'], message: expect.stringMatching(/two or more/) }],
    });

    await expect($.Experiment.get('experiment_missing1')).rejects.toMatchObject({
      constructor: NotFoundError,
      status: 404,
      code: 'not_found',
    });

    const draft = await $.Experiment.create({ ...ONBOARDING, name: 'Conflicts' });
    await $.Experiment.start({ id: draft.$id });
    const twice = await $.Experiment.start({ id: draft.$id }).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(ConflictError);
    expect(twice).toMatchObject({ status: 409, code: 'illegal_transition' });
    expect((twice as Error).message).toMatch(/it is Running/);
    await $.FeatureFlag.create({ key: 'taken' });
    await expect($.FeatureFlag.create({ key: 'taken' })).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'key_taken',
    });

    const refused = await $.Experiment.conclude({
      id: draft.$id,
      winner: 'control',
      confidence: 0.5,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RefusedError);
    expect(refused).toMatchObject({
      status: 422,
      code: 'refused_by_hook',
      message: 'confidence below 90%',
    });
    expect((await $.Experiment.get(draft.$id)).status).toBe('Running');

    const stranger = createManagement({
      url: real.url,
      adminKey: 'sy_admin_wrong_wrong_wrong_wrong',
    });
    await expect(stranger.Experiment.find({})).rejects.toMatchObject({
      constructor: UnauthorizedError,
      status: 401,
      code: 'unauthorized',
    });
    const sdkKey = createManagement({ url: real.url, adminKey: real.key('server') });
    await expect(sdkKey.Experiment.find({})).rejects.toMatchObject({
      constructor: ForbiddenError,
      status: 403,
      code: 'forbidden',
    });
  });
});
