import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createManagement } from '@switchyard/sdk-node';
import type { Management } from '@switchyard/sdk-node';
import { createServer } from '@switchyard/server';
import type { CreatedKey, SwitchyardServer } from '@switchyard/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../support/units';

const ADMIN_KEY = 'sy_admin_lifecycle_0123456789abcdef';
const HOUR = 3_600_000;

/** The server's clock, moved by the test: a week of rollout takes no time. */
class ManualClock {
  constructor(public ms: number) {}
  now = () => new Date(this.ms);
}

/** The seed's flow, minus the conclusion, which the server now makes itself. */
const SEED_EVENTS = [
  'experiment.created',
  'experiment.started',
  'event.created',
  'experiment.concluded',
  'featureflag.created',
  'featureflag.enabled',
  'featureflag.rolledout',
];

/** Users arrive in waves; each converts with its variant's true rate (a fixed seed). */
const USERS = 4000;
const WAVE = 250;
const RATES: Record<string, number> = { control: 0.1, simplified: 0.16 };

async function until<T>(
  what: string | (() => string),
  read: () => Promise<T | undefined> | T | undefined,
) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// The seed's whole lifecycle against a real server (a SQLite file, its sync hub on 127.0.0.1)
// with simulated users behind the Node SDK, a remote conclusion hook through the management API,
// and the workflow run on the server's clock.
describe('the lifecycle, end to end', () => {
  let dir: string;
  let server: SwitchyardServer;
  let url: string;
  let clock: ManualClock;
  let $: Management;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
    // Wednesday 2026-03-04 14:00 UTC.
    clock = new ManualClock(Date.parse('2026-03-04T14:00:00.000Z'));
    server = await createServer({
      db: join(dir, 'switchyard.db'),
      adminKey: ADMIN_KEY,
      logger: false,
      webhooks: false,
      clock,
      scheduler: { timer: false },
      analysis: { minIntervalMs: 100, timer: false },
    });
    url = await server.listen(0, '127.0.0.1');
    $ = createManagement({ url, adminKey: ADMIN_KEY, hooks: { retry: { baseMs: 50 } } });
  });
  afterAll(async () => {
    await $?.close({ timeoutMs: 1000 });
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs from experiment to full rollout: auto-conclusion, the remote hook, the workflow', async () => {
    const serverKey = (server.initialKeys as CreatedKey[]).find(
      (k) => k.kind === 'server' && k.environment === 'development',
    )!.secret;

    // The conclusion hook, in this process, over the server's WebSocket: the seed's flag for the
    // winner at 10% (with the experiment's salt, so it rolls out winner-first) and its workflow.
    $.Experiment.concluded(async (experiment, $$) => {
      const flag = await $$.FeatureFlag.create({
        key: 'onboarding-v2',
        description: experiment.name,
        variant: experiment.winner,
        experiment: experiment.$id,
        rolloutPercent: 10,
      });
      await $$.FeatureFlag.enable({ id: flag.$id });
      await $$.Workflow.create({
        name: 'Rollout: onboarding-v2',
        trigger: { type: 'schedule', cron: '0 9 * * MON' },
        steps: [
          { action: 'FeatureFlag.rollout', id: flag.$id, percent: 10, delay: '0w' },
          {
            action: 'FeatureFlag.rollout',
            id: flag.$id,
            percent: 50,
            delay: '1w',
            guard: { metric: 'activation_rate', maxDrop: 0.05 },
          },
          {
            action: 'FeatureFlag.rollout',
            id: flag.$id,
            percent: 100,
            delay: '2w',
            guard: { metric: 'activation_rate', maxDrop: 0.05 },
          },
        ],
      });
      await $$.Metric.record({
        name: 'experiments.concluded',
        value: 1,
        dimensions: { winner: experiment.winner ?? 'none' },
      });
    });

    await $.Metric.define({
      name: 'activation_rate',
      kind: 'conversion',
      event: 'onboarding.completed',
    });
    const experiment = await $.Experiment.create({
      name: 'Onboarding Flow V2',
      hypothesis: 'Simplified onboarding increases activation by 15%',
      variants: [
        { key: 'control', weight: 50 },
        { key: 'simplified', weight: 50 },
      ],
      metric: 'activation_rate',
      targetSampleSize: 1000,
    });
    expect(experiment.autoConclude).toBeUndefined(); // on by default: it has a target
    await $.Experiment.start({ id: experiment.$id });
    await $.Event.create({
      type: 'onboarding.completed',
      properties: { experiment: experiment.$id, variant: 'simplified', duration: 45 },
    });

    // Simulated users behind the Node SDK: each is assigned (an exposure), and converts or not.
    const client = createClient({ url, key: serverKey, events: { batchSize: 500 } });
    await client.ready({ timeoutMs: 10_000 });
    await until('the running experiment', () =>
      client.snapshot?.experiments[experiment.$id]?.status === 'Running' ? true : undefined,
    );
    const random = mulberry32(20260304);
    const sawWinner = new Set<string>();
    let users = 0;
    let status = 'Running';
    while (users < USERS && status === 'Running') {
      for (let i = 0; i < WAVE; i++, users++) {
        const context = { userId: `user-${users}` };
        const variant = client.getVariant(experiment.$id, context);
        if (variant === 'simplified') sawWinner.add(context.userId);
        const rate = RATES[variant ?? 'control']!;
        if (random() < rate) {
          client.track('onboarding.completed', context, { duration: 30 + random() * 60 });
        }
      }
      expect(await client.flush({ timeoutMs: 10_000 })).toBe(true);
      // An ack can reach the SDK before the ingestion commit has asked the monitor for an
      // analysis, so idle() alone may look too early: the sweep (the server's periodic look, its
      // timer off here) analyses every running experiment now, as it would within 30 s.
      await server.analysis!.idle();
      await server.analysis!.sweep();
      status = (await $.Experiment.get(experiment.$id)).status;
    }
    // It took more than the target (1,000 units) and fewer than all the users.
    expect(users).toBeGreaterThanOrEqual(1000);
    expect(users).toBeLessThan(USERS);
    const concluded = await $.Experiment.get(experiment.$id);
    expect(concluded).toMatchObject({ status: 'Concluded', winner: 'simplified' });
    expect(concluded.confidence).toBeGreaterThanOrEqual(0.95);
    expect(concluded.lift).toBeGreaterThan(0);
    const results = await fetch(`${url}/v1/experiments/${experiment.$id}/results`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    }).then((r) => r.json());
    expect(results.decision).toMatchObject({
      significant: true,
      winner: 'simplified',
      targetReached: true,
      srmDetected: false,
    });

    // The remote hook made the flag and the workflow.
    const flag = await until('the hook’s flag', async () => {
      const found = (await $.FeatureFlag.find({ filter: { key: 'onboarding-v2' } })).data[0];
      return found?.enabled ? found : undefined;
    });
    expect(flag).toMatchObject({
      rolloutPercent: 10,
      variant: 'simplified',
      experiment: experiment.$id,
    });
    const workflow = await until('the hook’s workflow', async () =>
      (await $.Workflow.find({})).data.find((w) => w.name === 'Rollout: onboarding-v2'),
    );

    // The workflow on the server's clock: Mondays at 09:00, 10% → 50% → 100%. Between steps, more
    // users read the flag (flag exposures for the guards) and convert at their variant's rate.
    const served = (percent: number) =>
      until(
        () => `the SDK at ${percent}% (${describeSdk()})`,
        () => {
          const values = Array.from({ length: 200 }, (_, i) =>
            client.getFlag('onboarding-v2', { userId: `later-${percent}-${i}` }, 'control'),
          );
          const share = values.filter((v) => v === 'simplified').length / values.length;
          return Math.abs(share - percent / 100) < 0.1 ? share : undefined;
        },
      );
    // What the SDK holds, for the message of a timeout.
    const describeSdk = () =>
      `SDK config version ${client.snapshot?.version}, rules ` +
      JSON.stringify(client.snapshot?.flags['onboarding-v2']?.rules);
    let later = 0;
    for (const [monday, percent] of [
      ['2026-03-09T09:00:00.000Z', 10],
      ['2026-03-16T09:00:00.000Z', 50],
      ['2026-03-23T09:00:00.000Z', 100],
    ] as const) {
      clock.ms = Date.parse(monday) - HOUR;
      expect(await server.scheduler!.runDue()).toEqual([]);
      clock.ms = Date.parse(monday);
      const [report] = await server.scheduler!.runDue();
      expect(report?.outcome.kind).toBe('done');
      expect((await $.FeatureFlag.get(flag.$id)).rolloutPercent).toBe(percent);
      await served(percent);
      for (let i = 0; i < 400; i++, later++) {
        const context = { userId: `visitor-${later}` };
        const variant = client.getFlag('onboarding-v2', context, 'control');
        if (random() < RATES[variant]!) client.track('onboarding.completed', context);
      }
      expect(await client.flush({ timeoutMs: 10_000 })).toBe(true);
      await server.analysis!.sweep();
    }
    expect((await $.Workflow.get(workflow.$id)).status).toBe('Completed');
    // The guards had something to compare: the SDK's flag exposures at 10% and 50%, both sides.
    for (const percent of [10, 50]) {
      const stage = await server.store.read((r) => r.ingest.aggregates(`${flag.$id}@${percent}`));
      const exposed = stage.filter((a) => a.metric === '');
      expect(exposed.map((a) => a.variant).sort(), `stage ${percent}%`).toEqual([
        'control',
        'simplified',
      ]);
      expect(exposed.reduce((n, a) => n + a.units, 0)).toBeGreaterThan(300);
    }
    // Winner first: at 50% (the winner's share) and after, every user who saw the winner has it.
    for (const userId of sawWinner) {
      expect(client.getFlag('onboarding-v2', { userId }, 'control')).toBe('simplified');
    }

    // The domain log holds the seed's flow, in order.
    const log = await $.log({ limit: 1000 });
    const seedFlow = log.data.map((e) => e.type).filter((type) => SEED_EVENTS.includes(type));
    expect(seedFlow).toEqual([...SEED_EVENTS, 'featureflag.rolledout', 'featureflag.rolledout']);
    const byType = (type: string) => log.data.filter((e) => e.type === type);
    expect(byType('experiment.concluded')[0]).toMatchObject({
      actor: 'system:auto-conclude',
      payload: { winner: 'simplified' },
    });
    expect(byType('featureflag.rolledout').map((e) => e.payload.percent)).toEqual([10, 50, 100]);
    expect(byType('featureflag.created')[0]!.actor).toMatch(/^admin:/);
    expect(byType('experiment.srm_detected')).toEqual([]);
    expect(byType('featureflag.rolledback')).toEqual([]);
    await client.close();
  }, 60_000);
});
