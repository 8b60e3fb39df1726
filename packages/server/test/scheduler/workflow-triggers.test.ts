import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchyardServer } from '../../src/server';
import { startServer } from '../support/server';
import type { TestServer } from '../support/server';
import { ONBOARDING, TestClock } from '../support/switchyard';
import {
  DAY,
  WEEK,
  clockedServer,
  domainLog,
  rolloutOf,
  seedFlag,
  seedSteps,
  seedWorkflow,
} from './support/rollout';

const NOW = Date.parse('2026-03-04T14:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of opened.splice(0)) await server.close();
});

async function serve(options: Parameters<typeof clockedServer>[0] = {}) {
  const { server, clock } = await clockedServer({ scheduler: { timer: false }, ...options });
  opened.push(server);
  return { server, clock, flag: await seedFlag(server) };
}

/** A manual or event workflow that rolls `flag` out like the seed (0, 1w, 2w). */
function waitingWorkflow(server: SwitchyardServer, flag: string, trigger: object) {
  return server.$.Workflow.create({
    name: 'Rollout on trigger',
    trigger: trigger as { type: 'manual' },
    steps: seedSteps(flag),
  });
}

/** A started experiment of the seed's shape under another name. */
async function runningExperiment(server: SwitchyardServer, name = ONBOARDING.name) {
  const experiment = await server.$.Experiment.create({ ...ONBOARDING, name });
  await server.$.Experiment.start({ id: experiment.$id });
  return experiment.$id;
}

/** The log rows of type `workflow.triggered` about `workflowId`. */
async function triggers(server: SwitchyardServer, workflowId: string) {
  return (await domainLog(server)).filter(
    (e) => e.type === 'workflow.triggered' && e.entityId === workflowId,
  );
}

describe('a manual workflow', () => {
  let t: TestServer;
  const clock = new TestClock(NOW);

  async function rest() {
    t = await startServer({ clock, webhooks: false, scheduler: { timer: false } });
    opened.push(t);
    return seedFlag(t.server);
  }

  it('waits without step times until POST /v1/workflows/:id/trigger, then runs from then', async () => {
    clock.ms = NOW;
    const flag = await rest();
    const created = await t.api('POST', '/v1/workflows', {
      name: 'Rollout: onboarding-v2',
      trigger: { type: 'manual' },
      steps: seedSteps(flag),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'Waiting', triggeredAt: null });
    expect(created.body.runs).toBeUndefined();
    expect(created.body.startAt).toBeUndefined();
    const id = created.body.$id as string;
    expect((await t.server.scheduler!.runDue()).length).toBe(0);
    expect(t.server.scheduler!.nextDueAt).toBeNull();

    expect((await t.api('POST', `/v1/workflows/${id}/trigger`, undefined, null)).status).toBe(401);
    clock.advance(3 * DAY + 17 * 60_000); // Saturday 17:17: no cron, so no tick to wait for.
    const at = clock.ms;
    const fired = await t.api('POST', `/v1/workflows/${id}/trigger`);
    expect(fired.status).toBe(200);
    expect(fired.body).toMatchObject({
      status: 'Active',
      triggeredAt: iso(at),
      startAt: iso(at),
      triggeredBy: { actor: expect.stringMatching(/^admin:/) },
    });
    expect(fired.body.runs.map((r: { dueAt: string }) => r.dueAt)).toEqual([
      iso(at),
      iso(at + WEEK),
      iso(at + 2 * WEEK),
    ]);
    expect((await t.api('GET', `/v1/workflows/${id}`)).body.triggeredAt).toBe(iso(at));
    const [event] = await triggers(t.server, id);
    expect(event!.payload).toEqual({
      status: 'Active',
      nextDueAt: iso(at),
      triggeredBy: fired.body.triggeredBy,
    });

    const again = await t.api('POST', `/v1/workflows/${id}/trigger`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'illegal_transition',
      message: expect.stringContaining('it is Active, and trigger needs Waiting'),
    });
    const unknown = await t.api('POST', '/v1/workflows/workflow_nope/trigger');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');

    // The scheduler runs each step at trigger time + delay, on the test clock.
    await t.server.scheduler!.runDue();
    expect(await rolloutOf(t.server, flag)).toBe(10);
    clock.ms = at + WEEK - 1;
    await t.server.scheduler!.runDue();
    expect(await rolloutOf(t.server, flag)).toBe(10);
    clock.ms = at + WEEK;
    await t.server.scheduler!.runDue();
    expect(await rolloutOf(t.server, flag)).toBe(50);
    clock.ms = at + 2 * WEEK;
    await t.server.scheduler!.runDue();
    expect(await rolloutOf(t.server, flag)).toBe(100);
    expect((await t.api('GET', `/v1/workflows/${id}`)).body.status).toBe('Completed');
    const ended = await t.api('POST', `/v1/workflows/${id}/trigger`);
    expect(ended.status).toBe(409);
    expect(ended.body.error.message).toContain('it is Completed');
    expect(await triggers(t.server, id)).toHaveLength(1);
  });

  it('keeps pause, resume and cancel working before and after its trigger', async () => {
    const { server, clock: c, flag } = await serve();
    const { $id: id } = await waitingWorkflow(server, flag, { type: 'manual' });
    const $ = server.$.Workflow;
    expect((await $.pause({ id })).status).toBe('Paused');
    await expect($.trigger({ id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('it is Paused, and trigger needs Waiting'),
    });
    c.advance(DAY);
    const resumed = await $.resume({ id });
    expect(resumed).toMatchObject({ status: 'Waiting', triggeredAt: null });
    expect(resumed.pausedMs ?? 0).toBe(0);

    const fired = await $.trigger({ id });
    const at = c.ms;
    expect(fired).toMatchObject({ status: 'Active', triggeredBy: { actor: 'system' } });
    await server.scheduler!.runDue();
    expect(await rolloutOf(server, flag)).toBe(10);
    // Two days paused after the trigger move the steps left two days later.
    expect((await $.pause({ id })).status).toBe('Paused');
    c.advance(2 * DAY);
    const moved = await $.resume({ id });
    expect(moved.status).toBe('Active');
    expect(moved.runs!.map((r) => [r.status, r.dueAt])).toEqual([
      ['done', iso(at)],
      ['pending', iso(at + WEEK + 2 * DAY)],
      ['pending', iso(at + 2 * WEEK + 2 * DAY)],
    ]);
    const cancelled = await $.cancel({ id });
    expect(cancelled.runs!.map((r) => r.status)).toEqual(['done', 'skipped', 'skipped']);
    await expect($.trigger({ id })).rejects.toMatchObject({ status: 409 });

    // A waiting workflow can be cancelled too, and then never triggers.
    const other = await waitingWorkflow(server, flag, { type: 'manual' });
    expect((await $.cancel({ id: other.$id })).status).toBe('Cancelled');
    await expect($.trigger({ id: other.$id })).rejects.toMatchObject({
      message: expect.stringContaining('it is Cancelled'),
    });
  });

  it('is triggered exactly once when two calls race', async () => {
    const { server, flag } = await serve();
    const { $id: id } = await waitingWorkflow(server, flag, { type: 'manual' });
    const outcomes = await Promise.allSettled([
      server.$.Workflow.trigger({ id }),
      server.$.Workflow.trigger({ id }),
      server.$.Workflow.trigger({ id }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.map((o) => (o.reason as { status: number }).status)).toEqual([409, 409]);
    expect(await triggers(server, id)).toHaveLength(1);
  });

  it('refuses a trigger for a schedule workflow, and startAt for a manual one', async () => {
    const { server, flag } = await serve();
    const scheduled = await seedWorkflow(server, flag);
    expect(scheduled.status).toBe('Active');
    expect(scheduled.triggeredAt).toBeUndefined();
    await expect(server.$.Workflow.trigger({ id: scheduled.$id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('it is Active'),
    });
    await expect(
      server.$.Workflow.create({
        name: 'w',
        trigger: { type: 'manual' },
        steps: seedSteps(flag),
        startAt: iso(NOW + DAY),
      }),
    ).rejects.toMatchObject({ status: 400, issues: [{ path: ['startAt'] }] });
    const waiting = await waitingWorkflow(server, flag, { type: 'manual' });
    await expect(
      server.$.Workflow.update({ id: waiting.$id, startAt: iso(NOW + DAY) }),
    ).rejects.toMatchObject({ status: 400, issues: [{ path: ['startAt'] }] });
  });

  it('changes between waiting and scheduled by update until it is triggered', async () => {
    const { server, clock, flag } = await serve();
    const $ = server.$.Workflow;
    const { $id: id } = await waitingWorkflow(server, flag, { type: 'manual' });
    clock.advance(DAY); // Thursday: it starts on this edit, not at its creation.
    const scheduled = await $.update({ id, trigger: { type: 'schedule', cron: '0 9 * * MON' } });
    expect(scheduled).toMatchObject({ status: 'Active', startAt: iso(NOW + DAY) });
    expect(scheduled.triggeredAt).toBeUndefined();
    expect(scheduled.runs![0]!.dueAt).toBe('2026-03-09T09:00:00.000Z');
    const back = await $.update({ id, trigger: { type: 'manual' } });
    expect(back).toMatchObject({ status: 'Waiting', triggeredAt: null });
    expect(back.runs).toBeUndefined();
    const at = (await $.trigger({ id })).triggeredAt!;
    await expect($.update({ id, trigger: { type: 'manual' } })).rejects.toMatchObject({
      status: 409,
      code: 'workflow_started',
    });
    // Its steps may still change until one ran: re-planned from the trigger time.
    const steps = seedSteps(flag).map((s, i) => ({ ...s, delay: `${i}d` }));
    const replanned = await $.update({ id, steps });
    const from = Date.parse(at);
    expect(replanned.runs!.map((r) => r.dueAt)).toEqual([
      iso(from),
      iso(from + DAY),
      iso(from + 2 * DAY),
    ]);
  });
});

describe('an event workflow', () => {
  it('is triggered by the concluded experiment it names, in the same transaction', async () => {
    const heard: string[] = [];
    const { server, clock, flag } = await serve({
      hooks: ($) => {
        $.Workflow.triggered((workflow) => {
          heard.push(workflow.$id);
        });
      },
    });
    const experiment = await runningExperiment(server);
    const other = await runningExperiment(server, 'Other');
    const rollout = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
      entity: experiment,
    });
    const elsewhere = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
      entity: other,
    });
    expect(rollout).toMatchObject({ status: 'Waiting', triggeredAt: null });

    // Unrelated events (another type, the same type about another entity) leave it waiting.
    clock.advance(DAY);
    await server.$.Experiment.pause({ id: experiment });
    await server.$.Experiment.resume({ id: experiment });
    await server.$.FeatureFlag.update({ id: flag, description: 'not the event' });
    expect((await server.$.Workflow.get({ id: rollout.$id })).status).toBe('Waiting');

    clock.advance(DAY);
    const at = clock.ms;
    await server.$.Experiment.conclude({ id: experiment, winner: 'simplified' });
    const log = await domainLog(server);
    const concluded = log.find((e) => e.type === 'experiment.concluded')!;
    const next = log.find((e) => e.seq === concluded.seq + 1)!;
    expect(next).toMatchObject({
      type: 'workflow.triggered',
      entityId: rollout.$id,
      actor: `event:${concluded.seq}`,
      at: iso(at),
    });
    const triggeredBy = {
      actor: 'system',
      event: 'experiment.concluded',
      seq: concluded.seq,
      entity: experiment,
    };
    expect(next.payload).toEqual({ status: 'Active', nextDueAt: iso(at), triggeredBy });
    const started = await server.$.Workflow.get({ id: rollout.$id });
    expect(started).toMatchObject({ status: 'Active', triggeredAt: iso(at), triggeredBy });
    expect(started.runs!.map((r) => r.dueAt)).toEqual([
      iso(at),
      iso(at + WEEK),
      iso(at + 2 * WEEK),
    ]);
    expect((await server.$.Workflow.get({ id: elsewhere.$id })).status).toBe('Waiting');
    expect(heard).toEqual([rollout.$id]);

    // The scheduler runs its steps from the conclusion on.
    await server.scheduler!.idle();
    await server.scheduler!.runDue();
    expect(await rolloutOf(server, flag)).toBe(10);
    clock.ms = at + WEEK;
    await server.scheduler!.runDue();
    expect(await rolloutOf(server, flag)).toBe(50);
  });

  it('triggers once: a second matching event does not trigger it again', async () => {
    const { server, clock, flag } = await serve();
    const first = await runningExperiment(server, 'First');
    const second = await runningExperiment(server, 'Second');
    const any = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
    });
    await server.$.Experiment.conclude({ id: first, winner: 'control' });
    const triggeredAt = (await server.$.Workflow.get({ id: any.$id })).triggeredAt;
    clock.advance(DAY);
    await server.$.Experiment.conclude({ id: second, winner: 'control' });
    const after = await server.$.Workflow.get({ id: any.$id });
    expect(after.triggeredAt).toBe(triggeredAt);
    expect(after.triggeredBy!.entity).toBe(first);
    expect(await triggers(server, any.$id)).toHaveLength(1);
  });

  it('never triggers on events committed before it existed, in another environment, or its own', async () => {
    const { server, flag } = await serve();
    const experiment = await runningExperiment(server);
    await server.$.Experiment.conclude({ id: experiment, winner: 'control' });
    const late = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
    });
    // Chained on other workflows: its own update is not the event.
    const chained = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'workflow.updated',
    });
    await server.$.Workflow.update({ id: chained.$id, name: 'renamed' });
    expect((await server.$.Workflow.get({ id: chained.$id })).status).toBe('Waiting');
    const prod = server.$.env('production');
    const elsewhere = await prod.Experiment.create(ONBOARDING);
    await prod.Experiment.start({ id: elsewhere.$id });
    await prod.Experiment.conclude({ id: elsewhere.$id, winner: 'control' });
    expect((await server.$.Workflow.get({ id: late.$id })).status).toBe('Waiting');
    // Another workflow's update is: one workflow starts another.
    await server.$.Workflow.update({ id: late.$id, description: 'poke' });
    expect((await server.$.Workflow.get({ id: chained.$id })).triggeredBy).toMatchObject({
      event: 'workflow.updated',
      entity: late.$id,
    });
  });

  it('is matched by the key of a keyed entity too', async () => {
    const { server, flag } = await serve();
    const waiting = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'featureflag.archived',
      entity: 'retired-flag',
    });
    const other = await server.$.FeatureFlag.create({ key: 'other-flag' });
    await server.$.FeatureFlag.archive({ id: other.$id });
    expect((await server.$.Workflow.get({ id: waiting.$id })).status).toBe('Waiting');
    const retired = await server.$.FeatureFlag.create({ key: 'retired-flag' });
    await server.$.FeatureFlag.archive({ id: retired.$id });
    expect((await server.$.Workflow.get({ id: waiting.$id })).triggeredBy).toMatchObject({
      entity: retired.$id,
    });
  });

  it('takes its event while paused and starts its clock on resume', async () => {
    const { server, clock, flag } = await serve();
    const experiment = await runningExperiment(server);
    const { $id: id } = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
    });
    await server.$.Workflow.pause({ id });
    await server.$.Experiment.conclude({ id: experiment, winner: 'control' });
    const paused = await server.$.Workflow.get({ id });
    expect(paused).toMatchObject({ status: 'Paused', triggeredAt: iso(clock.ms) });
    clock.advance(3 * DAY);
    await server.scheduler!.runDue();
    expect(await rolloutOf(server, flag)).toBe(0);
    const resumed = await server.$.Workflow.resume({ id });
    expect(resumed.status).toBe('Active');
    expect(resumed.runs!.map((r) => r.dueAt)).toEqual([
      iso(clock.ms),
      iso(clock.ms + WEEK),
      iso(clock.ms + 2 * WEEK),
    ]);
    await server.scheduler!.runDue();
    expect(await rolloutOf(server, flag)).toBe(10);
  });

  it('is rolled back with the event when its transaction fails', async () => {
    const { server, flag } = await serve();
    const experiment = await runningExperiment(server);
    const { $id: id } = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
    });
    const sy = server.switchyard;
    const write = await sy.prepareWrite(
      'Experiment',
      'conclude',
      { id: experiment, winner: 'control' },
      'development',
      'system',
    );
    await expect(
      server.store.transaction(async (tx) => {
        await sy.applyWrite(tx, write);
        // Seen inside the transaction: the trigger is part of it.
        const inside = await tx.getEntity('Workflow', 'development', id);
        expect((inside!.data as { status: string }).status).toBe('Active');
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect((await server.$.Experiment.get({ id: experiment })).status).toBe('Running');
    expect((await server.$.Workflow.get({ id })).status).toBe('Waiting');
    expect(await triggers(server, id)).toHaveLength(0);
  });

  it('may be started by hand, and then no longer waits for its event', async () => {
    const { server, flag } = await serve();
    const experiment = await runningExperiment(server);
    const { $id: id } = await waitingWorkflow(server, flag, {
      type: 'event',
      event: 'experiment.concluded',
    });
    const started = await server.$.Workflow.trigger({ id });
    expect(started).toMatchObject({ status: 'Active', triggeredBy: { actor: 'system' } });
    await server.$.Experiment.conclude({ id: experiment, winner: 'control' });
    expect((await triggers(server, id)).map((e) => e.actor)).toEqual(['system']);
  });

  it('forgets a deleted or cancelled workflow: its event still commits, and triggers nothing', async () => {
    const { server, flag } = await serve();
    const experiment = await runningExperiment(server);
    const wait = { type: 'event', event: 'experiment.concluded' };
    const deleted = await waitingWorkflow(server, flag, wait);
    const cancelled = await waitingWorkflow(server, flag, wait);
    const changed = await waitingWorkflow(server, flag, wait);
    const kept = await waitingWorkflow(server, flag, wait);
    await server.$.Workflow.delete({ id: deleted.$id });
    await server.$.Workflow.cancel({ id: cancelled.$id });
    await server.$.Workflow.update({ id: changed.$id, trigger: { type: 'manual' } });
    await server.$.Experiment.conclude({ id: experiment, winner: 'control' });
    const triggered = (await domainLog(server))
      .filter((e) => e.type === 'workflow.triggered')
      .map((e) => e.entityId);
    expect(triggered).toEqual([kept.$id]);
    expect((await server.$.Workflow.get({ id: changed.$id })).status).toBe('Waiting');
  });

  it('names a domain event of a write verb', async () => {
    const { server, flag } = await serve();
    for (const event of ['experiment.nope', 'workflow.completed', 'concluded']) {
      await expect(waitingWorkflow(server, flag, { type: 'event', event })).rejects.toMatchObject({
        status: 400,
        issues: [{ path: ['trigger', 'event'] }],
      });
    }
    for (const event of ['experiment.concluded', 'workflow.triggered', 'event.created']) {
      expect((await waitingWorkflow(server, flag, { type: 'event', event })).status).toBe(
        'Waiting',
      );
    }
  });
});
