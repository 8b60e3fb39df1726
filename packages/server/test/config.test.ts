import { assignExperiment, clientView, evaluateFlag } from '@switchyard/core';
import { ConfigSnapshotSchema } from '@switchyard/core/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileExperiment } from '../src/config/compile-experiment';
import { compileFlag } from '../src/config/compile-flag';
import { ONBOARDING, newSwitchyard } from './support/switchyard';

let env: Awaited<ReturnType<typeof newSwitchyard>>;
beforeEach(async () => {
  env = await newSwitchyard();
});
afterEach(async () => {
  await env.dispose();
});

const users = Array.from({ length: 4000 }, (_, i) => `user-${i}`);

describe('config compilation', () => {
  it('compiles the seed flag: salt = key, a final rollout rule, default off', async () => {
    const flag = await env.$.FeatureFlag.create({
      key: 'onboarding-v2',
      variant: 'simplified',
      rolloutPercent: 10,
      enabled: true,
    });
    expect(compileFlag(flag)).toEqual({
      key: 'onboarding-v2',
      salt: 'onboarding-v2',
      type: 'boolean',
      enabled: true,
      variants: [
        { key: 'off', value: false },
        { key: 'simplified', value: true },
      ],
      defaultVariant: 'off',
      rules: [{ rollout: 10, variant: 'simplified' }],
    });
    const renamed = await env.$.FeatureFlag.update({ id: flag.$id, key: 'onboarding-v3' });
    expect(compileFlag(renamed).salt).toBe('onboarding-v2');
  });

  it('serves about the rollout share, and raising it only adds units', async () => {
    const flag = await env.$.FeatureFlag.create({ key: 'f', rolloutPercent: 10, enabled: true });
    const at10 = await env.sy.configSnapshot();
    await env.$.FeatureFlag.rollout({ id: flag.$id, percent: 50 });
    const at50 = await env.sy.configSnapshot();
    expect(at50.version).toBe(at10.version + 1);
    const on = (snapshot: typeof at10) =>
      new Set(
        users.filter((u) => evaluateFlag(snapshot, 'f', { userId: u }, false).value === true),
      );
    const ten = on(at10);
    const fifty = on(at50);
    expect(ten.size / users.length).toBeGreaterThan(0.08);
    expect(ten.size / users.length).toBeLessThan(0.12);
    expect(fifty.size / users.length).toBeGreaterThan(0.47);
    expect([...ten].every((u) => fifty.has(u))).toBe(true);
  });

  it('rolls a winner out winner-first with the experiment salt and unit', async () => {
    const { $ } = env;
    const experiment = await $.Experiment.create({ ...ONBOARDING, unit: 'accountId' });
    await $.Experiment.start({ id: experiment.$id });
    const running = await env.sy.configSnapshot();
    const concluded = await $.Experiment.conclude({ id: experiment.$id, winner: 'simplified' });
    const flag = await $.FeatureFlag.create({
      key: 'onboarding-v2',
      variant: 'simplified',
      experiment: experiment.$id,
      rolloutPercent: 50,
      enabled: true,
    });
    const config = compileFlag(flag, concluded);
    expect(config).toMatchObject({
      salt: experiment.$id,
      unit: 'accountId',
      type: 'string',
      defaultVariant: 'control',
      rules: [{ rollout: 50, variant: 'simplified', order: { start: 0.5 } }],
    });
    const snapshot = await env.sy.configSnapshot();
    expect(snapshot.flags['onboarding-v2']).toEqual(config);
    // At 50% (the winner's share), exactly the units that saw `simplified` get it.
    for (const u of users.slice(0, 500)) {
      const assigned = assignExperiment(running, experiment.$id, { accountId: u }).variant;
      expect(evaluateFlag(snapshot, 'onboarding-v2', { accountId: u }, 'none').value).toBe(
        assigned,
      );
    }
  });

  it('compiles experiments and builds a valid snapshot at the latest seq', async () => {
    const { $ } = env;
    const experiment = await $.Experiment.create({
      ...ONBOARDING,
      trafficAllocation: 50,
      audience: { country: 'DE' },
    });
    expect(compileExperiment(experiment)).toEqual({
      id: experiment.$id,
      salt: experiment.$id,
      status: 'Draft',
      variants: ONBOARDING.variants,
      trafficAllocation: 50,
      audience: { country: 'DE' },
    });
    await $.Segment.create({ key: 'eu', condition: { country: { $in: ['DE', 'FR'] } } });
    await $.FeatureFlag.create({
      key: 'secret',
      serverOnly: true,
      rules: [{ condition: { $inSegment: 'eu' }, variant: 'on' }],
    });
    const archived = await $.FeatureFlag.create({ key: 'old' });
    await $.FeatureFlag.archive({ id: archived.$id });
    const snapshot = await env.sy.configSnapshot('development');
    expect(ConfigSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.version).toBe(await env.store.read((r) => r.latestSeq()));
    expect(Object.keys(snapshot.flags)).toEqual(['secret']);
    expect(snapshot.segments).toEqual({ eu: { country: { $in: ['DE', 'FR'] } } });
    expect(Object.keys(clientView(snapshot).flags)).toEqual([]);
    expect((await env.sy.configSnapshot('production')).flags).toEqual({});
  });
});
