import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../src/verbs/context';
import { ONBOARDING, newSwitchyard } from './support/switchyard';

let env: Awaited<ReturnType<typeof newSwitchyard>>;
let $: Context;
beforeEach(async () => {
  env = await newSwitchyard();
  $ = env.$;
});
afterEach(async () => {
  await env.dispose();
});

async function log() {
  return env.store.read((r) => r.readLog({}));
}

describe('Experiment verbs', () => {
  it('creates a Draft experiment with an id like experiment_xN4yKpTm and a slug', async () => {
    const experiment = await $.Experiment.create(ONBOARDING);
    expect(experiment.$id).toMatch(/^experiment_[0-9A-Za-z]{8}$/);
    expect(experiment).toMatchObject({
      $type: 'Experiment',
      environment: 'development',
      status: 'Draft',
      slug: 'onboarding-flow-v2',
      metric: 'activation_rate',
    });
    expect(await $.Experiment.get({ id: experiment.$id })).toEqual(experiment);
    expect(await $.Experiment.get(experiment.$id)).toEqual(experiment);
    const [entry] = await log();
    expect(entry).toMatchObject({
      seq: 1,
      type: 'experiment.created',
      entityType: 'Experiment',
      entityId: experiment.$id,
      payload: { $id: experiment.$id, variants: 2 },
      actor: 'system',
      state: experiment,
    });
  });

  it.each([
    ['one variant', { variants: [{ key: 'a', weight: 1 }] }, 'two or more variants'],
    [
      'repeated keys',
      {
        variants: [
          { key: 'a', weight: 1 },
          { key: 'a', weight: 1 },
        ],
      },
      'repeats',
    ],
    [
      'a zero weight',
      {
        variants: [
          { key: 'a', weight: 0 },
          { key: 'b', weight: 1 },
        ],
      },
      '',
    ],
    ['an unknown field', { colour: 'red' }, ''],
  ])('refuses %s with a 400 and writes nothing', async (_, change, message) => {
    const error = await $.Experiment.create({ ...ONBOARDING, ...change } as never).catch((e) => e);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input' });
    expect(error.message).toContain(message);
    expect(error.issues.length).toBeGreaterThan(0);
    expect(await log()).toEqual([]);
  });

  it('walks the status machine and refuses illegal transitions with 409 naming the status', async () => {
    const { $id: id } = await $.Experiment.create(ONBOARDING);
    await expect($.Experiment.pause({ id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('it is Draft'),
    });
    expect((await $.Experiment.start({ id })).status).toBe('Running');
    expect((await $.Experiment.pause({ id })).status).toBe('Paused');
    expect((await $.Experiment.resume({ id })).status).toBe('Running');
    await expect($.Experiment.start({ id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('it is Running'),
    });
    await expect($.Experiment.delete({ id })).rejects.toMatchObject({ status: 409 });
    await expect($.Experiment.conclude({ id, winner: 'nope' })).rejects.toMatchObject({
      status: 400,
      issues: [{ path: ['winner'] }],
    });
    const concluded = await $.Experiment.conclude({
      id,
      winner: 'simplified',
      confidence: 0.97,
      lift: 0.18,
    });
    expect(concluded).toMatchObject({
      status: 'Concluded',
      winner: 'simplified',
      confidence: 0.97,
      lift: 0.18,
    });
    await expect($.Experiment.stop({ id })).rejects.toMatchObject({
      message: expect.stringContaining('it is Concluded'),
    });
    expect((await $.Experiment.archive({ id })).status).toBe('Archived');
    await expect($.Experiment.update({ id, name: 'x' })).rejects.toMatchObject({ status: 409 });
    expect((await log()).map((e) => [e.type, e.payload])).toEqual([
      ['experiment.created', { $id: id, variants: 2 }],
      ['experiment.started', { status: 'Running' }],
      ['experiment.paused', { status: 'Paused' }],
      ['experiment.resumed', { status: 'Running' }],
      ['experiment.concluded', { winner: 'simplified', confidence: 0.97 }],
      ['experiment.archived', { status: 'Archived' }],
    ]);
  });

  it('lets a Draft be archived, and stops a running experiment', async () => {
    const a = await $.Experiment.create(ONBOARDING);
    expect((await $.Experiment.archive({ id: a.$id })).status).toBe('Archived');
    const b = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id: b.$id });
    const stopped = await $.Experiment.stop({ id: b.$id });
    expect(stopped.status).toBe('Stopped');
    expect(stopped.endedAt).toBeDefined();
  });

  it('updates fields, removes them with null, and fixes assignment fields once running', async () => {
    const { $id: id } = await $.Experiment.create({ ...ONBOARDING, description: 'd' });
    const updated = await $.Experiment.update({ id, name: 'Renamed', description: null });
    expect(updated.name).toBe('Renamed');
    expect('description' in updated).toBe(false);
    await $.Experiment.start({ id });
    await expect(
      $.Experiment.update({
        id,
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
      }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringContaining('only in Draft') });
    await expect($.Experiment.update({ id })).rejects.toMatchObject({ status: 400 });
    expect((await log()).at(-1)).toMatchObject({ type: 'experiment.started' });
  });

  it('answers 404 for an unknown id or environment', async () => {
    await expect($.Experiment.start({ id: 'experiment_missing' })).rejects.toMatchObject({
      status: 404,
    });
    const { $id } = await $.Experiment.create(ONBOARDING);
    await expect($.env('production').Experiment.get($id)).rejects.toMatchObject({ status: 404 });
    await expect($.env('staging').Experiment.create(ONBOARDING)).rejects.toMatchObject({
      status: 404,
      message: "no environment 'staging'",
    });
  });

  it('finds with a filter, sort and paging, and as of a past time', async () => {
    const a = await $.Experiment.create({ ...ONBOARDING, name: 'A' });
    env.clock.advance(1000);
    const b = await $.Experiment.create({ ...ONBOARDING, name: 'B' });
    const beforeStart = env.clock.now().toISOString();
    env.clock.advance(1000);
    await $.Experiment.start({ id: b.$id });
    const running = await $.Experiment.find({ filter: { status: 'Running' } });
    expect(running.data.map((e) => e.$id)).toEqual([b.$id]);
    const sorted = await $.Experiment.find({ sort: '-name', limit: 1 });
    expect(sorted).toMatchObject({ total: 2, data: [{ name: 'B' }] });
    expect((await $.Experiment.find({ sort: 'name', offset: 1 })).data[0]?.name).toBe('B');
    const then = await $.Experiment.find({ asOf: beforeStart, filter: { status: 'Draft' } });
    expect(then.data.map((e) => e.$id)).toEqual([a.$id, b.$id]);
    env.clock.advance(1000);
    await $.Experiment.archive({ id: a.$id });
    await $.Experiment.delete({ id: a.$id });
    expect((await $.Experiment.find({})).total).toBe(1);
    expect((await $.Experiment.find({ asOf: beforeStart })).total).toBe(2);
  });
});

describe('FeatureFlag verbs', () => {
  it('creates the seed flag from a winner: a boolean flag off/simplified', async () => {
    const flag = await $.FeatureFlag.create({
      key: 'onboarding-v2',
      description: 'Onboarding Flow V2',
      variant: 'simplified',
      rolloutPercent: 10,
    });
    expect(flag).toMatchObject({
      $id: expect.stringMatching(/^featureflag_[0-9A-Za-z]{8}$/),
      type: 'boolean',
      variants: [
        { key: 'off', value: false },
        { key: 'simplified', value: true },
      ],
      default: 'off',
      enabled: false,
      salt: 'onboarding-v2',
      status: 'Active',
    });
    expect((await $.FeatureFlag.enable({ id: flag.$id })).enabled).toBe(true);
    expect((await $.FeatureFlag.rollout({ id: flag.$id, percent: 50 })).rolloutPercent).toBe(50);
    expect((await $.FeatureFlag.disable({ id: flag.$id })).enabled).toBe(false);
    expect((await log()).map((e) => [e.type, e.payload])).toEqual([
      ['featureflag.created', { key: 'onboarding-v2', rolloutPercent: 10 }],
      ['featureflag.enabled', { $id: flag.$id }],
      ['featureflag.rolledout', { percent: 50 }],
      ['featureflag.disabled', { $id: flag.$id }],
    ]);
  });

  it('takes the variants of a linked experiment, with control as default', async () => {
    const experiment = await $.Experiment.create(ONBOARDING);
    const flag = await $.FeatureFlag.create({
      key: 'onb',
      variant: 'simplified',
      experiment: experiment.$id,
    });
    expect(flag).toMatchObject({
      type: 'string',
      variants: [
        { key: 'control', value: 'control' },
        { key: 'simplified', value: 'simplified' },
      ],
      default: 'control',
    });
    await expect(
      $.FeatureFlag.create({ key: 'other', variant: 'x', experiment: 'experiment_nope' }),
    ).rejects.toMatchObject({ status: 400, issues: [{ path: ['experiment'] }] });
  });

  it('keeps keys unique per environment and the salt when the key changes', async () => {
    const flag = await $.FeatureFlag.create({ key: 'checkout' });
    expect(flag.variants.map((v) => v.key)).toEqual(['off', 'on']);
    await expect($.FeatureFlag.create({ key: 'checkout' })).rejects.toMatchObject({ status: 409 });
    await $.env('production').FeatureFlag.create({ key: 'checkout' });
    const renamed = await $.FeatureFlag.update({ id: flag.$id, key: 'checkout-2' });
    expect(renamed.salt).toBe('checkout');
    expect((await $.FeatureFlag.get('checkout-2')).$id).toBe(flag.$id);
  });

  it('refuses inconsistent flags and out-of-range rollouts', async () => {
    await expect(
      $.FeatureFlag.create({ key: 'x', variants: [{ key: 'a', value: 'A' }], default: 'b' }),
    ).rejects.toMatchObject({ status: 400, issues: [{ path: ['default'] }] });
    await expect($.FeatureFlag.create({ key: 'y', type: 'string' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(
      $.FeatureFlag.create({ key: 'z', variants: [{ key: 'a', value: 1 }], type: 'string' }),
    ).rejects.toMatchObject({ status: 400 });
    const flag = await $.FeatureFlag.create({ key: 'ok' });
    await expect($.FeatureFlag.rollout({ id: flag.$id, percent: 101 })).rejects.toMatchObject({
      status: 400,
    });
    await $.FeatureFlag.archive({ id: flag.$id });
    await expect($.FeatureFlag.enable({ id: flag.$id })).rejects.toMatchObject({ status: 409 });
  });
});

describe('other entities', () => {
  it('stores events once by id and emits event.created { type, variant }', async () => {
    const properties = { experiment: 'experiment_x', variant: 'simplified', duration: 45 };
    const event = await $.Event.create({ id: 'ev-1', type: 'onboarding.completed', properties });
    expect(event).toMatchObject({ id: 'ev-1', type: 'onboarding.completed', properties });
    await $.Event.create({ id: 'ev-1', type: 'onboarding.completed', properties });
    const entries = await log();
    expect(entries.map((e) => [e.type, e.payload])).toEqual([
      ['event.created', { type: 'onboarding.completed', variant: 'simplified' }],
    ]);
    expect((await $.Event.find({ filter: { 'properties.variant': 'simplified' } })).total).toBe(1);
  });

  it('finds among the newest events once there are more than it looks through', async () => {
    // 10,000 older events (the window `find` looks through), then the one asked for.
    await env.store.transaction(async (tx) => {
      for (let i = 0; i < 10_000; i++) {
        await tx.insertEvent({
          id: `old-${i}`,
          environment: 'development',
          type: 'page_view',
          unit: 'u1',
          timestamp: i,
          receivedAt: '2026-01-01T00:00:00.000Z',
          properties: {},
        });
      }
    });
    await $.Event.create({ id: 'newest', type: 'purchase' });
    const found = await $.Event.find({ filter: { type: 'purchase' } });
    expect(found.data.map((e) => e.id)).toEqual(['newest']);
    const page = await $.Event.find({ limit: 2 });
    // Still in the order stored: the oldest of the window first.
    expect(page.data.map((e) => e.id)).toEqual(['old-1', 'old-2']);
  });

  it('defines metrics and records data points', async () => {
    const metric = await $.Metric.define({
      name: 'activation_rate',
      kind: 'conversion',
      event: 'onboarding.completed',
    });
    expect(metric.$id).toMatch(/^metric_/);
    await expect($.Metric.define({ name: 'm', kind: 'mean', event: 'e' })).rejects.toMatchObject({
      status: 400,
    });
    const point = await $.Metric.record({
      name: 'experiments.concluded',
      value: 1,
      dimensions: { winner: 'simplified' },
    });
    expect(point).toMatchObject({
      name: 'experiments.concluded',
      value: 1,
      dimensions: { winner: 'simplified' },
    });
    expect(await $.Metric.points({ name: 'experiments.concluded' })).toHaveLength(1);
    expect((await log()).map((e) => [e.type, e.payload])).toEqual([
      ['metric.defined', { name: 'activation_rate', kind: 'conversion' }],
      ['metric.recorded', { name: 'experiments.concluded', value: 1 }],
    ]);
  });

  it('validates workflow triggers and step arguments against the named verb', async () => {
    const steps = [
      { action: 'FeatureFlag.rollout', id: 'featureflag_x', percent: 10, delay: '0w' },
      { action: 'FeatureFlag.rollout', id: 'featureflag_x', percent: 50, delay: '1w' },
    ];
    const workflow = await $.Workflow.create({
      name: 'Rollout: onboarding-v2',
      trigger: { type: 'schedule', cron: '0 9 * * MON' },
      steps,
    });
    expect(workflow).toMatchObject({ status: 'Active', steps });
    const bad = (change: object) =>
      $.Workflow.create({
        name: 'w',
        trigger: { type: 'schedule', cron: '0 9 * * MON' },
        steps,
        ...change,
      });
    await expect(bad({ trigger: { type: 'schedule', cron: '61 * * * *' } })).rejects.toMatchObject({
      status: 400,
    });
    await expect(
      bad({ steps: [{ action: 'FeatureFlag.rollout', id: 'f', percent: 150 }] }),
    ).rejects.toMatchObject({
      status: 400,
      issues: [{ path: ['steps', 0, 'percent'] }],
    });
    await expect(
      bad({ steps: [{ action: 'FeatureFlag.explode', id: 'f' }] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(bad({ steps: [{ action: 'FeatureFlag.get', id: 'f' }] })).rejects.toMatchObject({
      status: 400,
    });
    await expect(bad({ steps: [{ ...steps[0], delay: '1 week' }] })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('saves segments by unique key', async () => {
    const segment = await $.Segment.create({
      key: 'eu',
      condition: { country: { $in: ['DE', 'FR'] } },
    });
    expect(segment.$id).toMatch(/^segment_/);
    await expect($.Segment.create({ key: 'eu', condition: {} })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('never shows a webhook secret after creation, nor logs it', async () => {
    const hook = await $.Webhook.create({ url: 'http://127.0.0.1:9/x', events: ['experiment.*'] });
    expect(hook.secret).toMatch(/^whsec_/);
    const fetched = await $.Webhook.get(hook.$id);
    expect('secret' in fetched).toBe(false);
    expect(fetched.secretHint).toBe(`${hook.secret.slice(0, 10)}…`);
    expect(JSON.stringify(await log())).not.toContain(hook.secret);
    await expect($.Webhook.create({ url: 'ftp://x', events: ['*'] })).rejects.toMatchObject({
      status: 400,
    });
  });
});
