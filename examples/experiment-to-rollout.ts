// The seed use case of Switchyard, end to end: an experiment runs and concludes, a remote hook
// turns the winner into a feature flag, the flag rolls out, a workflow schedules the rest of the
// rollout and a metric records the conclusion. The code between the two "seed" markers is the
// seed as DESIGN.md writes it, with a line printed after each step; the few places that differ
// are marked "(example)".
//
// Run it against a server (`pnpm start` in another terminal):
//   SWITCHYARD_URL=http://127.0.0.1:4400 SWITCHYARD_ADMIN_KEY=<admin key> pnpm example
// Each run works in a fresh environment (`SWITCHYARD_ENVIRONMENT` to choose one), so it can run
// again and again against the same server.
import { createManagement, NotFoundError } from '@switchyard/sdk-node';
import type { Management } from '@switchyard/sdk-node';

// Set-up: the management API from SWITCHYARD_URL and SWITCHYARD_ADMIN_KEY, in an environment
// of this run's own.
const environment = process.env.SWITCHYARD_ENVIRONMENT ?? `example-${Date.now().toString(36)}`;
await createManagement().Environment.create({ name: environment });
const $ = createManagement({ environment });
const { Experiment, Event, FeatureFlag } = $;
console.log(`environment ${environment}`);

// ---- seed ----
const experiment = await Experiment.create({
  name: 'Onboarding Flow V2',
  hypothesis: 'Simplified onboarding increases activation by 15%',
  variants: [
    { key: 'control', weight: 50 },
    { key: 'simplified', weight: 50 },
  ],
  metric: 'activation_rate',
  targetSampleSize: 1000,
}); // experiment.$id => 'experiment_xN4yKpTm'
console.log(`created ${experiment.$id}: ${experiment.status}`);
await Experiment.start({ id: experiment.$id }); // status => 'Running'
console.log(`started ${experiment.$id}: ${(await Experiment.get(experiment.$id)).status}`);
await Event.create({
  type: 'onboarding.completed',
  properties: { experiment: experiment.$id, variant: 'simplified', duration: 45 },
});
await Experiment.conclude({
  id: experiment.$id,
  winner: 'simplified',
  confidence: 0.97,
  lift: 0.18,
});
console.log(`concluded ${experiment.$id}: winner simplified`);
Experiment.concluded(async (experiment, $) => {
  // after-hook, runs on conclusion
  const flag = await $.FeatureFlag.create({
    key: 'onboarding-v2',
    description: experiment.name,
    variant: experiment.winner,
    rolloutPercent: 10,
  });
  await $.FeatureFlag.enable({ id: flag.$id });
});
const flag = await flagFromHook($, 'onboarding-v2'); // (example) wait for the hook's flag
console.log(`hook made ${flag.$id}: enabled at ${flag.rolloutPercent}%`);
await FeatureFlag.rollout({ id: flag.$id, percent: 50 }); // (example) its id, not a made-up one
console.log(`rolled out ${flag.$id} to 50%`);
// (example) the workflow is kept, to print it
const workflow = await $.Workflow.create({
  name: 'Rollout: onboarding-v2',
  trigger: { type: 'schedule', cron: '0 9 * * MON' },
  steps: [
    { action: 'FeatureFlag.rollout', id: flag.$id, percent: 10, delay: '0w' },
    { action: 'FeatureFlag.rollout', id: flag.$id, percent: 50, delay: '1w' },
    { action: 'FeatureFlag.rollout', id: flag.$id, percent: 100, delay: '2w' },
  ],
});
console.log(`workflow ${workflow.$id}: ${workflow.steps.length} steps, ${workflow.status}`);
await $.Metric.record({
  name: 'experiments.concluded',
  value: 1,
  dimensions: { winner: 'simplified' },
});
// ---- seed ----
console.log('recorded experiments.concluded = 1');

// Set-up: the remote hook's socket keeps the process alive until it is closed.
await $.close();

/** The flag the conclusion hook creates, once the hook has enabled it. */
async function flagFromHook(api: Management, key: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const found = await api.FeatureFlag.get(key);
      if (found.enabled) return found;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    if (Date.now() > deadline) {
      await api.close({ timeoutMs: 0 });
      throw new Error(
        `the Experiment.concluded hook did not make '${key}' within 15 s: does the server serve remote hooks on /v1/stream?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
