import { Switchyard } from '../../src/service/switchyard';
import type { Context } from '../../src/verbs/context';
import type { SwitchyardOptions } from '../../src/service/switchyard';
import { SqliteStore } from '../../src/store/sqlite-store';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public ms = Date.parse('2026-03-02T09:00:00.000Z')) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

/** A Switchyard on a private in-memory SQLite with both default environments. */
export async function newSwitchyard(options: Partial<SwitchyardOptions> = {}) {
  const clock = new TestClock();
  const store = await SqliteStore.open(':memory:');
  const sy = new Switchyard({
    store,
    clock,
    hookRetry: { attempts: 3, baseMs: 5, maxMs: 20 },
    ...options,
  });
  await sy.environments.create('development', clock.now());
  await sy.environments.create('production', clock.now());
  return {
    sy,
    $: sy.$,
    clock,
    store,
    async dispose() {
      await sy.close();
      await store.close();
    },
  };
}

/** The seed's experiment. */
export const ONBOARDING = {
  name: 'Onboarding Flow V2',
  hypothesis: 'Simplified onboarding increases activation by 15%',
  variants: [
    { key: 'control', weight: 50 },
    { key: 'simplified', weight: 50 },
  ],
  metric: 'activation_rate',
  targetSampleSize: 1000,
};

/** The seed's conclusion hook: a flag for the winner at 10%, enabled. */
export function seedHooks($: Context) {
  $.Experiment.concluded(async (experiment, $$) => {
    const flag = await $$.FeatureFlag.create({
      key: 'onboarding-v2',
      description: experiment.name,
      variant: experiment.winner,
      rolloutPercent: 10,
    });
    await $$.FeatureFlag.enable({ id: flag.$id });
  });
}
