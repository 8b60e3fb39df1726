// The seed use case with the server deciding: simulated users behind the Node SDK take part in
// the experiment, the server concludes it itself once its target sample size is reached and the
// sequential test is significant, and a remote `Experiment.concluded` hook turns the winner into
// a feature flag at 10% with a guarded workflow for the rest of the rollout.
//
// Run it against a server (`pnpm start` in another terminal):
//   SWITCHYARD_URL=http://127.0.0.1:4400 SWITCHYARD_ADMIN_KEY=<admin key> pnpm example:auto
// Each run works in a fresh environment (`SWITCHYARD_ENVIRONMENT` to choose one). The users are
// simulated with a fixed seed (`SWITCHYARD_SEED`): control converts at 10%, simplified at 16%.
import { createClient, createManagement, NotFoundError } from '@switchyard/sdk-node';
import type { Management } from '@switchyard/sdk-node';

const url = process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4400';
const adminKey = process.env.SWITCHYARD_ADMIN_KEY;
if (!adminKey) throw new Error('set SWITCHYARD_ADMIN_KEY to the admin key the server printed');
const environment = process.env.SWITCHYARD_ENVIRONMENT ?? `auto-${Date.now().toString(36)}`;
const RATES: Record<string, number> = { control: 0.1, simplified: 0.16 };
const MAX_USERS = 12_000;
const WAVE = 200;

// Set-up: an environment of this run's own, a server key for the SDK, the management API.
const admin = createManagement({ url, adminKey });
await admin.Environment.create({ name: environment });
const { secret: serverKey } = await admin.Key.create({
  kind: 'server',
  environment,
  name: 'auto-conclude example',
});
const $ = createManagement({ url, adminKey, environment });
console.log(`environment ${environment}`);

// The conclusion hook: it runs in this process when the server concludes the experiment.
$.Experiment.concluded(async (experiment, $) => {
  const flag = await $.FeatureFlag.create({
    key: 'onboarding-v2',
    description: experiment.name,
    variant: experiment.winner,
    experiment: experiment.$id, // the experiment's salt: the winner rolls out winner-first
    rolloutPercent: 10,
  });
  await $.FeatureFlag.enable({ id: flag.$id });
  const guard = { metric: 'activation_rate', maxDrop: 0.05 };
  await $.Workflow.create({
    name: 'Rollout: onboarding-v2',
    trigger: { type: 'schedule', cron: '0 9 * * MON' },
    steps: [
      { action: 'FeatureFlag.rollout', id: flag.$id, percent: 10, delay: '0w' },
      { action: 'FeatureFlag.rollout', id: flag.$id, percent: 50, delay: '1w', guard },
      { action: 'FeatureFlag.rollout', id: flag.$id, percent: 100, delay: '2w', guard },
    ],
  });
  await $.Metric.record({
    name: 'experiments.concluded',
    value: 1,
    dimensions: { winner: experiment.winner ?? 'none' },
  });
});

// The metric, and a target sample size the server suggests for +60% on a 10% baseline.
await $.Metric.define({
  name: 'activation_rate',
  kind: 'conversion',
  event: 'onboarding.completed',
});
const suggestion = await $.Experiment.sampleSize({ baseline: 0.1, minimumDetectableEffect: 0.6 });
const targetSampleSize = suggestion.targetSampleSize;
if (targetSampleSize === null) throw new Error(`no sample size: ${suggestion.flags.join(', ')}`);
console.log(`suggested targetSampleSize ${targetSampleSize}`);

const experiment = await $.Experiment.create({
  name: 'Onboarding Flow V2',
  hypothesis: 'Simplified onboarding increases activation by 15%',
  variants: [
    { key: 'control', weight: 50 },
    { key: 'simplified', weight: 50 },
  ],
  metric: 'activation_rate',
  targetSampleSize, // autoConclude is on by default with a target
});
await $.Experiment.start({ id: experiment.$id });
await $.Event.create({
  type: 'onboarding.completed',
  properties: { experiment: experiment.$id, variant: 'simplified', duration: 45 },
});
console.log(`started ${experiment.$id}`);

// Simulated users: each is assigned by the SDK (which sends the exposure) and converts or not.
const client = createClient({ url, key: serverKey });
await client.ready({ timeoutMs: 10_000 });
while (client.snapshot?.experiments[experiment.$id]?.status !== 'Running') {
  await sleep(50); // the start reaches the SDK over its socket
}
const random = mulberry32(Number(process.env.SWITCHYARD_SEED ?? 20260304));
let users = 0;
let status = 'Running';
while (status === 'Running' && users < MAX_USERS) {
  for (let i = 0; i < WAVE; i++, users++) {
    const context = { userId: `user-${users}` };
    const variant = client.getVariant(experiment.$id, context) ?? 'control';
    if (random() < RATES[variant]!) {
      client.track('onboarding.completed', context, { duration: Math.round(30 + random() * 60) });
    }
  }
  await client.flush();
  await sleep(250); // the server analyses at most once a second per experiment
  status = (await $.Experiment.get(experiment.$id)).status;
}
for (let waited = 0; status === 'Running' && waited < 5000; waited += 100) {
  await sleep(100);
  status = (await $.Experiment.get(experiment.$id)).status;
}
const concluded = await $.Experiment.get(experiment.$id);
if (concluded.status !== 'Concluded') {
  await shutdown();
  throw new Error(`${experiment.$id} is still ${concluded.status} after ${users} users`);
}
console.log(
  `concluded ${experiment.$id} after ${users} users: winner ${concluded.winner} at ${pct(concluded.confidence)} confidence, lift ${pct(concluded.lift)}`,
);
const results = await $.Experiment.results({ id: experiment.$id });
for (const v of results.variants) {
  console.log(`  ${v.key}: ${v.units} units, ${v.conversions} converted (${pct(v.mean)})`);
}

// What the hook made: the flag at 10% and the guarded workflow.
const flag = await flagFromHook($, 'onboarding-v2');
console.log(`hook made ${flag.$id}: ${flag.variant} enabled at ${flag.rolloutPercent}%`);
const workflow = (await $.Workflow.find({ filter: { name: 'Rollout: onboarding-v2' } })).data[0];
for (const [i, run] of (workflow?.runs ?? []).entries()) {
  const step = workflow!.steps[i]!;
  console.log(
    `  step ${i}: ${String(step.percent)}% at ${run.dueAt}${step.guard ? ' (guarded)' : ''}`,
  );
}
await shutdown();
console.log('done');

async function shutdown() {
  await client?.close();
  await $.close();
}

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
    if (Date.now() > deadline)
      throw new Error(`the Experiment.concluded hook did not make '${key}'`);
    await sleep(100);
  }
}

function pct(x: number | null | undefined): string {
  if (x === null || x === undefined) return '?';
  return x > 0.999 && x < 1 ? '> 99.9%' : `${(x * 100).toFixed(1)}%`;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A seeded PRNG (mulberry32): the same users on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
