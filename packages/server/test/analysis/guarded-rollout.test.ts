import { afterEach, describe, expect, it } from 'vitest';
import { checkGuard } from '../../src/analysis/guard-check';
import { guardedFlagKey, guardedSteps } from '../../src/analysis/guarded-flags';
import type { FeatureFlag } from '../../src/entities/feature-flag/schema';
import type { Workflow } from '../../src/entities/workflow/schema';
import type { ServerOptions } from '../../src/server';
import { MONDAYS_AT_9, WEEK, seedSteps, workflowTrail } from '../scheduler/support/rollout';
import type { TestServer } from '../support/server';
import { TestClock } from '../support/switchyard';
import { settled as settledServer, startAnalysisServer } from './support/analysis-server';
import { flagTraffic, ingest } from './support/traffic';

let t: TestServer;
let clock: TestClock;
afterEach(async () => {
  await t?.close();
});

const GUARD = { metric: 'activation_rate', maxDrop: 0.05 };

/** A server on a manual clock (Wednesday 2026-03-04 14:00 UTC) whose scheduler runs when told. */
async function start(options: ServerOptions = {}) {
  clock = new TestClock(Date.parse('2026-03-04T14:00:00.000Z'));
  t = await startAnalysisServer({ clock, scheduler: { timer: false }, ...options });
}

/** The seed's flag enabled at `percent`, and the seed's workflow with a guard on steps 1 and 2. */
async function guardedRollout(percent = 0, guard = GUARD) {
  const flag = await t.server.$.FeatureFlag.create({
    key: 'onboarding-v2',
    variant: 'simplified',
    rolloutPercent: percent,
  });
  await t.server.$.FeatureFlag.enable({ id: flag.$id });
  const workflow = await t.server.$.Workflow.create({
    name: 'Rollout: onboarding-v2',
    trigger: { type: 'schedule', cron: MONDAYS_AT_9 },
    steps: seedSteps(flag.$id).map((step, i) => (i === 0 ? step : { ...step, guard })),
  });
  return { flag: flag.$id, workflow: workflow.$id };
}

/** Moves the clock to `iso` and runs what is due. */
async function at(iso: string) {
  clock.ms = Date.parse(iso);
  return t.server.scheduler!.runDue();
}

const flagOf = (id: string) => t.server.$.FeatureFlag.get({ id }) as Promise<FeatureFlag>;
const workflowOf = (id: string) => t.server.$.Workflow.get({ id }) as Promise<Workflow>;

const settled = () => settledServer(t);

describe('guarded rollout', () => {
  it('rolls the flag back to 0% and stops the workflow when the units with the flag convert significantly worse', async () => {
    await start();
    const rolledBack: FeatureFlag[] = [];
    t.server.$.FeatureFlag.rolledback((flag) => void rolledBack.push(flag));
    const { flag, workflow } = await guardedRollout();
    await at('2026-03-09T09:00:00.000Z'); // step 0: 10%
    expect((await flagOf(flag)).rolloutPercent).toBe(10);

    // At 10%: those served `simplified` convert at 5%, the rest (`off`) at 10%.
    await ingest(
      t,
      flagTraffic('onboarding-v2', [
        { variant: 'simplified', units: 400, converted: 20 },
        { variant: 'off', units: 3600, converted: 360 },
      ]),
    );
    await settled();

    expect((await flagOf(flag)).rolloutPercent).toBe(0);
    const stopped = await workflowOf(workflow);
    expect(stopped.status).toBe('RolledBack');
    expect(stopped.runs!.map((r) => r.status)).toEqual(['done', 'skipped', 'skipped']);
    expect(stopped.error).toMatchObject({ step: 1, code: 'guard_tripped' });
    expect(stopped.guardTrip).toMatchObject({
      step: 1,
      flag,
      metric: 'activation_rate',
      percent: 10,
    });
    expect(stopped.guardTrip!.relativeLift).toBeCloseTo(-0.5, 6);
    expect(stopped.guardTrip!.pValue).toBeLessThan(0.05);
    expect(rolledBack.map((f) => f.rolloutPercent)).toEqual([0]);

    const trail = await workflowTrail(t.server, workflow);
    expect(trail.map(([type]) => type)).toEqual([
      'featureflag.rolledout',
      'workflow.step_completed',
      'featureflag.rolledback',
      'workflow.rolledback',
    ]);
    expect(trail[2]![1]).toMatchObject({ percent: 0, from: 10 });
    expect(String(trail[2]![1].reason)).toMatch(/activation_rate dropped 50\.0%/);

    // The remaining steps never run, and a later sweep changes nothing.
    await at(new Date(Date.parse('2026-03-09T09:00:00.000Z') + 3 * WEEK).toISOString());
    await t.server.analysis!.sweep();
    expect((await flagOf(flag)).rolloutPercent).toBe(0);
    expect(rolledBack).toHaveLength(1);
  });

  it('lets the rollout go on when the flag does no harm, each stage compared on its own units', async () => {
    await start();
    const { flag, workflow } = await guardedRollout();
    await at('2026-03-09T09:00:00.000Z');
    await ingest(
      t,
      flagTraffic('onboarding-v2', [
        { variant: 'simplified', units: 400, converted: 44 },
        { variant: 'off', units: 3600, converted: 360 },
      ]),
    );
    await settled();
    expect((await workflowOf(workflow)).status).toBe('Active');
    await at('2026-03-16T09:00:00.000Z'); // step 1: 50%, its guard checked first
    expect((await flagOf(flag)).rolloutPercent).toBe(50);
    // The 10% stage keeps its counts; the 50% stage starts empty.
    const stages = await t.server.store.read(async (r) => ({
      ten: await r.ingest.aggregates(`${flag}@10`),
      fifty: await r.ingest.aggregates(`${flag}@50`),
    }));
    expect(stages.ten.find((a) => a.metric === '' && a.variant === 'simplified')?.units).toBe(400);
    expect(stages.fifty).toEqual([]);
    await at('2026-03-23T09:00:00.000Z');
    expect((await flagOf(flag)).rolloutPercent).toBe(100);
    expect((await workflowOf(workflow)).status).toBe('Completed');
  });

  it('checks the guard of a due step before running it (without the analysis monitor)', async () => {
    await start({ analysis: false });
    const { flag, workflow } = await guardedRollout();
    await at('2026-03-09T09:00:00.000Z');
    await ingest(
      t,
      flagTraffic('onboarding-v2', [
        { variant: 'simplified', units: 400, converted: 16 },
        { variant: 'off', units: 3600, converted: 360 },
      ]),
    );
    await t.server.realtime.ingestor.drain();
    expect((await workflowOf(workflow)).status).toBe('Active');
    const reports = await at('2026-03-16T09:00:00.000Z');
    expect(reports.map((r) => r.outcome.kind)).toEqual(['rolledback']);
    expect((await flagOf(flag)).rolloutPercent).toBe(0);
    expect((await workflowOf(workflow)).status).toBe('RolledBack');
    const trail = (await workflowTrail(t.server, workflow)).map(([type]) => type);
    expect(trail).not.toContain('workflow.completed');
    expect(trail.filter((type) => type === 'featureflag.rolledout')).toHaveLength(1);
  });

  it('trips only on a drop larger than maxDrop, in the direction the metric calls worse', async () => {
    await start({ analysis: false });
    await t.server.$.Metric.define({
      name: 'error_rate',
      kind: 'conversion',
      event: 'checkout.failed',
      higherIsBetter: false,
    });
    const flag = await t.server.$.FeatureFlag.create({
      key: 'new-checkout',
      variant: 'v2',
      rolloutPercent: 20,
      enabled: true,
    });
    // A live workflow guards the flag with both metrics, so ingestion counts them for it.
    await t.server.$.Workflow.create({
      name: 'Rollout: new-checkout',
      trigger: { type: 'manual' },
      steps: [
        { action: 'FeatureFlag.rollout', id: flag.$id, percent: 50, guard: GUARD },
        {
          action: 'FeatureFlag.rollout',
          id: flag.$id,
          percent: 100,
          guard: { metric: 'error_rate', maxDrop: 0.05 },
        },
      ],
    });
    const guard = (metric: string, maxDrop: number) =>
      guardedSteps({
        steps: [
          { action: 'FeatureFlag.rollout', id: flag.key, percent: 50, guard: { metric, maxDrop } },
        ],
      })[0]!;
    const verdict = (metric: string, maxDrop: number) =>
      t.server.store.read((r) => checkGuard(r, 'development', guard(metric, maxDrop)));
    // With the flag: fewer activations (10% → 5%) and twice the errors (5% → 10%).
    await ingest(t, [
      ...flagTraffic('new-checkout', [
        { variant: 'v2', units: 1000, converted: 50 },
        { variant: 'off', units: 4000, converted: 400 },
      ]),
      ...flagTraffic(
        'new-checkout',
        [
          { variant: 'v2', units: 1000, converted: 100 },
          { variant: 'off', units: 4000, converted: 200 },
        ],
        'checkout.failed',
      ),
    ]);
    await t.server.realtime.ingestor.drain();
    expect(await verdict('activation_rate', 0.05)).toMatchObject({
      tripped: true,
      percent: 20,
      units: { withFlag: 1000, rest: 4000 },
    });
    expect((await verdict('activation_rate', 0.6))!.tripped).toBe(false);
    const errors = await verdict('error_rate', 0.05);
    expect(errors).toMatchObject({ tripped: true, units: { withFlag: 1000, rest: 4000 } });
    expect(errors!.relativeLift).toBeCloseTo(1, 6);
    // The stage key names the flag and its percent.
    expect(guardedFlagKey(flag)).toBe(`${flag.$id}@20`);
  });

  it('FeatureFlag.rollback takes any flag back to 0% over REST, with featureflag.rolledback', async () => {
    await start({ analysis: false });
    const flag = await t.server.$.FeatureFlag.create({ key: 'search-v2', rolloutPercent: 40 });
    const answer = await t.api('POST', `/v1/flags/${flag.$id}/rollback`, { reason: 'errors' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ rolloutPercent: 0, enabled: false });
    const [event] = await t.server.store.read((r) =>
      r.readLog({ entityId: flag.$id, types: ['featureflag.rolledback'] }),
    );
    expect(event!.payload).toEqual({ percent: 0, from: 40, reason: 'errors' });
    const archived = await t.server.$.FeatureFlag.archive({ id: flag.$id });
    expect(archived.status).toBe('Archived');
    expect((await t.api('POST', `/v1/flags/${flag.$id}/rollback`, {})).status).toBe(409);
  });
});
