import { assignExperiment, evaluateFlag } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { newSwitchyard, ONBOARDING } from '../support/switchyard';

let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await dispose?.();
});

const USERS = Array.from({ length: 3000 }, (_, i) => `user-${i}`);

describe('a flag made from a concluded experiment', () => {
  it('keeps the experiment’s salt and gives the winner first to the units that saw it, as the rollout grows 10 → 50 → 100 through the verbs', async () => {
    const env = await newSwitchyard();
    dispose = env.dispose;
    const { $, sy } = env;
    const experiment = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id: experiment.$id });
    const running = await sy.configSnapshot();
    const sawWinner = new Set(
      USERS.filter(
        (userId) => assignExperiment(running, experiment.$id, { userId }).variant === 'simplified',
      ),
    );
    expect(sawWinner.size / USERS.length).toBeCloseTo(0.5, 1);
    await $.Experiment.conclude({ id: experiment.$id, winner: 'simplified' });

    const flag = await $.FeatureFlag.create({
      key: 'onboarding-v2',
      variant: 'simplified',
      experiment: experiment.$id,
      rolloutPercent: 10,
    });
    await $.FeatureFlag.enable({ id: flag.$id });
    const gotWinner: Set<string>[] = [];
    for (const percent of [10, 50, 100]) {
      if (percent !== 10) await $.FeatureFlag.rollout({ id: flag.$id, percent });
      const snapshot = await sy.configSnapshot();
      expect(snapshot.flags['onboarding-v2']!.salt).toBe(experiment.$id);
      gotWinner.push(
        new Set(
          USERS.filter(
            (userId) =>
              evaluateFlag(snapshot, 'onboarding-v2', { userId }).variant === 'simplified',
          ),
        ),
      );
    }
    const [ten, fifty, hundred] = gotWinner as [Set<string>, Set<string>, Set<string>];
    expect(ten.size / USERS.length).toBeCloseTo(0.1, 1);
    // Winner first: everyone who gets it at 10% saw it; at the winner's 50% share, exactly those
    // who saw it have it; nobody who had it ever loses it.
    for (const userId of ten) expect(sawWinner.has(userId)).toBe(true);
    expect([...fifty].sort()).toEqual([...sawWinner].sort());
    for (const userId of ten) expect(fifty.has(userId)).toBe(true);
    expect(hundred.size).toBe(USERS.length);
  });
});
