import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../src/logger';
import { ONBOARDING, newSwitchyard, seedHooks } from './support/switchyard';

let env: Awaited<ReturnType<typeof newSwitchyard>>;
const warnings: string[] = [];
const recorder: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warn: (_o, msg) => warnings.push(msg ?? ''),
  error: (_o, msg) => warnings.push(msg ?? ''),
};
beforeEach(async () => {
  warnings.length = 0;
  env = await newSwitchyard({ logger: recorder });
});
afterEach(async () => {
  await env.dispose();
});

const types = async () => (await env.store.read((r) => r.readLog({}))).map((e) => e.type);

describe('hooks', () => {
  it('runs before-hooks in order before the transaction and after-hooks in order after commit', async () => {
    const { $, store } = env;
    const order: string[] = [];
    $.Experiment.starting(async (input) => {
      order.push(`starting 1 ${input.id === undefined ? '?' : 'id'}`);
      order.push(`log then: ${await store.read((r) => r.latestSeq())}`);
    });
    $.Experiment.starting(() => void order.push('starting 2'));
    $.Experiment.started(async (experiment, _$, event) => {
      order.push(`started 1 ${experiment.status} seq ${event.seq}`);
      order.push(`log now: ${await store.read((r) => r.latestSeq())}`);
    });
    $.Experiment.started(() => void order.push('started 2'));
    const { $id } = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id: $id });
    expect(order).toEqual([
      'starting 1 id',
      'log then: 1',
      'starting 2',
      'started 1 Running seq 2',
      'log now: 2',
      'started 2',
    ]);
  });

  it('refuses the verb with 422 and the hook message when a before-hook throws', async () => {
    const { $ } = env;
    $.Experiment.concluding((input) => {
      if ((input.confidence ?? 0) < 0.95) throw new Error('confidence below 95%');
    });
    const after: string[] = [];
    $.Experiment.concluded((e) => void after.push(e.$id));
    const { $id: id } = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id });
    await expect(
      $.Experiment.conclude({ id, winner: 'simplified', confidence: 0.8 }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'refused_by_hook',
      message: 'confidence below 95%',
    });
    expect((await $.Experiment.get(id)).status).toBe('Running');
    expect(after).toEqual([]);
    await $.Experiment.conclude({ id, winner: 'simplified', confidence: 0.97 });
    expect(after).toEqual([id]);
  });

  it('runs the seed hook: a concluded experiment creates and enables a flag', async () => {
    const { $ } = env;
    seedHooks($);
    const { $id: id } = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id });
    await $.Experiment.conclude({ id, winner: 'simplified', confidence: 0.97, lift: 0.18 });
    const flag = await $.FeatureFlag.get('onboarding-v2');
    expect(flag).toMatchObject({ enabled: true, rolloutPercent: 10, description: ONBOARDING.name });
    const log = await env.store.read((r) => r.readLog({}));
    expect(log.map((e) => [e.type, e.actor])).toEqual([
      ['experiment.created', 'system'],
      ['experiment.started', 'system'],
      ['experiment.concluded', 'system'],
      ['featureflag.created', 'hook:Experiment.concluded'],
      ['featureflag.enabled', 'hook:Experiment.concluded'],
    ]);
  });

  it('retries a failing after-hook with backoff and never loses the verb', async () => {
    const { $ } = env;
    let calls = 0;
    const done = new Promise<void>((resolve) => {
      $.FeatureFlag.created(() => {
        calls += 1;
        if (calls < 3) throw new Error(`flaky ${calls}`);
        resolve();
      });
    });
    const flag = await $.FeatureFlag.create({ key: 'f' });
    expect(flag.key).toBe('f');
    expect(calls).toBe(1);
    await done;
    expect(calls).toBe(3);
    expect(warnings.filter((w) => w.includes('retrying'))).toHaveLength(2);
    expect(await types()).toEqual(['featureflag.created']);
  });

  it('gives up after the last attempt and logs it as an error', async () => {
    const { $ } = env;
    let calls = 0;
    $.Segment.created(() => {
      calls += 1;
      throw new Error('always');
    });
    await $.Segment.create({ key: 's', condition: {} });
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(3);
    expect(warnings.at(-1)).toContain('failed for good');
  });

  it('fires hooks registered through $.env(name) only in that environment, and unsubscribes', async () => {
    const { $ } = env;
    const seen: string[] = [];
    $.env('production').FeatureFlag.created((flag) => void seen.push(`prod ${flag.key}`));
    const off = $.FeatureFlag.created((flag) => void seen.push(`all ${flag.environment}`));
    await $.FeatureFlag.create({ key: 'a' });
    await $.env('production').FeatureFlag.create({ key: 'b' });
    off();
    await $.env('production').FeatureFlag.create({ key: 'c' });
    expect(seen).toEqual(['all development', 'prod b', 'all production', 'prod c']);
  });

  it('writes nothing when the transaction fails halfway', async () => {
    const { $ } = env;
    await $.FeatureFlag.create({ key: 'taken' });
    const seq = await env.store.read((r) => r.latestSeq());
    const flag = await $.FeatureFlag.create({ key: 'other' });
    await expect($.FeatureFlag.update({ id: flag.$id, key: 'taken' })).rejects.toMatchObject({
      status: 409,
    });
    expect(await env.store.read((r) => r.latestSeq())).toBe(seq + 1);
    expect((await $.FeatureFlag.get(flag.$id)).key).toBe('other');
  });
});
