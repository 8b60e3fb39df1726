import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SwitchyardServer } from '../../src/server';
import type { TestClock } from '../support/switchyard';
import {
  DAY,
  HOUR,
  MONDAYS_AT_9,
  WEEK,
  clockedServer,
  domainLog,
  rolloutOf,
  seedFlag,
  seedWorkflow,
  workflowTrail,
} from './support/rollout';

let server: SwitchyardServer;
let clock: TestClock;
afterEach(async () => {
  await server?.close();
});

async function start(options: Parameters<typeof clockedServer>[0] = {}) {
  ({ server, clock } = await clockedServer(options));
  return server.scheduler!;
}

describe('the seed rollout on a manual clock', () => {
  it('rolls out 10% at the first Monday 09:00 after the start, 50% a week later, 100% two weeks later', async () => {
    const scheduler = await start(); // Wednesday 2026-03-04 14:00 UTC
    const flag = await seedFlag(server);
    const workflow = await seedWorkflow(server, flag);
    expect(workflow.startAt).toBe('2026-03-04T14:00:00.000Z');
    expect(workflow.runs).toEqual([
      { status: 'pending', dueAt: '2026-03-09T09:00:00.000Z' },
      { status: 'pending', dueAt: '2026-03-16T09:00:00.000Z' },
      { status: 'pending', dueAt: '2026-03-23T09:00:00.000Z' },
    ]);

    expect(await scheduler.runDue()).toEqual([]);
    expect(scheduler.nextDueAt?.toISOString()).toBe('2026-03-09T09:00:00.000Z');
    clock.ms = Date.parse('2026-03-09T08:59:00.000Z');
    expect(await scheduler.runDue()).toEqual([]);
    expect(await rolloutOf(server, flag)).toBe(0);

    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    const first = await scheduler.runDue();
    expect(first).toMatchObject([{ workflowId: workflow.$id, step: 0, outcome: { kind: 'done' } }]);
    expect(await rolloutOf(server, flag)).toBe(10);
    expect(scheduler.nextDueAt?.toISOString()).toBe('2026-03-16T09:00:00.000Z');

    clock.advance(WEEK - 1);
    expect(await scheduler.runDue()).toEqual([]);
    clock.advance(1);
    await scheduler.runDue();
    expect(await rolloutOf(server, flag)).toBe(50);

    clock.advance(WEEK + 3 * HOUR);
    await scheduler.runDue();
    expect(await rolloutOf(server, flag)).toBe(100);
    // Nothing runs twice, however often the scheduler looks.
    await scheduler.runDue();
    clock.advance(10 * WEEK);
    expect(await scheduler.runDue()).toEqual([]);
    expect(scheduler.nextDueAt).toBeNull();

    const counted = await server.metrics.registry.getSingleMetricAsString(
      'switchyard_workflow_steps_total',
    );
    expect(counted).toContain('switchyard_workflow_steps_total{outcome="done"} 3');

    const done = await server.$.Workflow.get({ id: workflow.$id });
    expect(done.status).toBe('Completed');
    expect(done.runs!.map((r) => [r.status, r.ranAt])).toEqual([
      ['done', '2026-03-09T09:00:00.000Z'],
      ['done', '2026-03-16T09:00:00.000Z'],
      ['done', '2026-03-23T12:00:00.000Z'],
    ]);
    const input = (percent: number) => ({ id: flag, percent });
    expect(await workflowTrail(server, workflow.$id)).toEqual([
      ['featureflag.rolledout', { percent: 10 }],
      [
        'workflow.step_completed',
        {
          step: 0,
          action: 'FeatureFlag.rollout',
          input: input(10),
          dueAt: '2026-03-09T09:00:00.000Z',
          seq: expect.any(Number),
        },
      ],
      ['featureflag.rolledout', { percent: 50 }],
      [
        'workflow.step_completed',
        {
          step: 1,
          action: 'FeatureFlag.rollout',
          input: input(50),
          dueAt: '2026-03-16T09:00:00.000Z',
          seq: expect.any(Number),
        },
      ],
      ['featureflag.rolledout', { percent: 100 }],
      [
        'workflow.step_completed',
        {
          step: 2,
          action: 'FeatureFlag.rollout',
          input: input(100),
          dueAt: '2026-03-23T09:00:00.000Z',
          seq: expect.any(Number),
        },
      ],
      ['workflow.completed', { status: 'Completed', steps: 3 }],
    ]);
    // Each completion names the seq of the verb's own event, and the log stays gap-free.
    const log = await domainLog(server);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    for (const e of log.filter((x) => x.type === 'workflow.step_completed')) {
      const verbEvent = log.find((x) => x.seq === e.payload.seq)!;
      expect(verbEvent).toMatchObject({
        type: 'featureflag.rolledout',
        actor: `workflow:${workflow.$id}`,
      });
      expect(e.seq).toBe(verbEvent.seq + 1);
    }
  });

  it('runs a step at once when the workflow starts on a tick, without being asked', async () => {
    const scheduler = await start({ at: '2026-03-02T09:00:00.000Z' }); // a Monday, 09:00
    const flag = await seedFlag(server);
    const workflow = await seedWorkflow(server, flag);
    expect(workflow.runs![0]!.dueAt).toBe('2026-03-02T09:00:00.000Z');
    // The creation woke the scheduler; its pass runs the due step.
    await scheduler.idle();
    expect(await rolloutOf(server, flag)).toBe(10);
    expect((await server.$.Workflow.get({ id: workflow.$id })).runs![1]!.status).toBe('pending');
  });

  it('fires after-hooks of the step verb, with the workflow as the actor', async () => {
    const seen: string[] = [];
    await start({
      hooks: ($) => {
        $.FeatureFlag.rolledout((flag, _$, event) => {
          seen.push(`${event.actor} → ${flag.rolloutPercent}`);
        });
      },
    });
    const flag = await seedFlag(server);
    const workflow = await seedWorkflow(server, flag);
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    await server.scheduler!.runDue();
    expect(seen).toEqual([`workflow:${workflow.$id} → 10`]);
  });

  it('runs a workflow in the environment it belongs to', async () => {
    const scheduler = await start();
    const production = server.$.env('production');
    const flag = await production.FeatureFlag.create({ key: 'onboarding-v2', variant: 'on' });
    const workflow = await production.Workflow.create({
      name: 'production rollout',
      trigger: { type: 'schedule', cron: MONDAYS_AT_9 },
      steps: [{ action: 'FeatureFlag.rollout', id: flag.$id, percent: 25 }],
    });
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    expect(await scheduler.runDue()).toMatchObject([
      { environment: 'production', workflowId: workflow.$id, outcome: { kind: 'done' } },
    ]);
    expect((await production.FeatureFlag.get({ id: flag.$id })).rolloutPercent).toBe(25);
    expect((await production.Workflow.get({ id: workflow.$id })).status).toBe('Completed');
  });

  it('wakes on its own timer when the clock jumps past a due step', async () => {
    const scheduler = await start({ scheduler: { maxSleepMs: 20 } });
    const flag = await seedFlag(server);
    await seedWorkflow(server, flag);
    await scheduler.idle();
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    // No runDue: the capped sleep notices the jump.
    await vi.waitFor(async () => expect(await rolloutOf(server, flag)).toBe(10), {
      timeout: 2000,
      interval: 10,
    });
  });

  it('reads the cron and day-long delays in the trigger time zone, across a DST change', async () => {
    const scheduler = await start({ at: '2026-03-20T00:00:00.000Z' });
    const flag = await seedFlag(server);
    const workflow = await server.$.Workflow.create({
      name: 'Berlin rollout',
      trigger: { type: 'schedule', cron: '0 9 * * MON', timezone: 'Europe/Berlin' },
      // Monday 09:00 in Berlin, still in winter time (UTC+1).
      startAt: '2026-03-23T08:00:00.000Z',
      steps: [
        { action: 'FeatureFlag.rollout', id: flag, percent: 10, delay: '0' },
        { action: 'FeatureFlag.rollout', id: flag, percent: 50, delay: '1w' },
      ],
    });
    // Berlin moves to summer time on 2026-03-29: the next Monday 09:00 is 07:00 UTC.
    expect(workflow.runs!.map((r) => r.dueAt)).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    clock.ms = Date.parse('2026-03-30T06:59:00.000Z');
    await scheduler.runDue();
    expect(await rolloutOf(server, flag)).toBe(10);
    clock.ms = Date.parse('2026-03-30T07:00:00.000Z');
    await scheduler.runDue();
    expect(await rolloutOf(server, flag)).toBe(50);
  });
});

describe('pause, resume and cancel', () => {
  it('runs nothing while paused and moves the remaining steps by the time paused', async () => {
    const scheduler = await start(); // Wednesday 2026-03-04 14:00
    const flag = await seedFlag(server);
    const { $id } = await seedWorkflow(server, flag);
    clock.advance(DAY); // Thursday 03-05 14:00
    const paused = await server.$.Workflow.pause({ id: $id });
    expect(paused).toMatchObject({ status: 'Paused', pausedAt: '2026-03-05T14:00:00.000Z' });

    clock.ms = Date.parse('2026-03-10T00:00:00.000Z'); // step 0 fell due on 03-09 while paused
    expect(await scheduler.runDue()).toEqual([]);
    expect(await rolloutOf(server, flag)).toBe(0);

    clock.ms = Date.parse('2026-03-11T14:00:00.000Z'); // paused for six days
    const resumed = await server.$.Workflow.resume({ id: $id });
    expect(resumed.status).toBe('Active');
    expect(resumed.pausedAt).toBeUndefined();
    expect(resumed.pausedMs).toBe(6 * DAY);
    // The overdue step waits for the next tick, and the others keep their weekly spacing.
    expect(resumed.runs!.map((r) => r.dueAt)).toEqual([
      '2026-03-16T09:00:00.000Z',
      '2026-03-23T09:00:00.000Z',
      '2026-03-30T09:00:00.000Z',
    ]);
    expect(await scheduler.runDue()).toEqual([]);
    clock.ms = Date.parse('2026-03-16T09:00:00.000Z');
    await scheduler.runDue();
    expect(await rolloutOf(server, flag)).toBe(10);

    const log = await domainLog(server);
    expect(log.filter((e) => e.entityId === $id).map((e) => [e.type, e.payload])).toEqual([
      ['workflow.created', { $id, steps: 3 }],
      ['workflow.paused', { status: 'Paused', nextDueAt: '2026-03-09T09:00:00.000Z' }],
      ['workflow.resumed', { status: 'Active', nextDueAt: '2026-03-16T09:00:00.000Z' }],
      ['workflow.step_completed', expect.objectContaining({ step: 0 })],
    ]);
  });

  it('cancels: no step runs any more and the pending ones are skipped', async () => {
    const scheduler = await start();
    const flag = await seedFlag(server);
    const { $id } = await seedWorkflow(server, flag);
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    await scheduler.runDue();
    const cancelled = await server.$.Workflow.cancel({ id: $id });
    expect(cancelled.status).toBe('Cancelled');
    expect(cancelled.runs!.map((r) => r.status)).toEqual(['done', 'skipped', 'skipped']);
    clock.advance(4 * WEEK);
    expect(await scheduler.runDue()).toEqual([]);
    expect(await rolloutOf(server, flag)).toBe(10);
  });

  it('refuses illegal transitions with 409 naming the current status', async () => {
    await start();
    const flag = await seedFlag(server);
    const { $id } = await seedWorkflow(server, flag);
    await expect(server.$.Workflow.resume({ id: $id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining('it is Active, and resume needs Paused'),
    });
    await server.$.Workflow.pause({ id: $id });
    await expect(server.$.Workflow.pause({ id: $id })).rejects.toMatchObject({ status: 409 });
    await server.$.Workflow.cancel({ id: $id });
    for (const verb of ['pause', 'resume', 'cancel'] as const) {
      await expect(server.$.Workflow[verb]({ id: $id })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining('it is Cancelled'),
      });
    }
    await expect(server.$.Workflow.update({ id: $id, name: 'x' })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('re-plans on an update until a step has run, then refuses to change the timing', async () => {
    const scheduler = await start();
    const flag = await seedFlag(server);
    const { $id } = await seedWorkflow(server, flag);
    const daily = await server.$.Workflow.update({
      id: $id,
      trigger: { type: 'schedule', cron: '0 6 * * *' },
    });
    expect(daily.runs!.map((r) => r.dueAt)).toEqual([
      '2026-03-05T06:00:00.000Z',
      '2026-03-12T06:00:00.000Z',
      '2026-03-19T06:00:00.000Z',
    ]);
    clock.ms = Date.parse('2026-03-05T06:00:00.000Z');
    await scheduler.runDue();
    await expect(
      server.$.Workflow.update({ id: $id, trigger: { type: 'schedule', cron: '0 7 * * *' } }),
    ).rejects.toMatchObject({ status: 409, code: 'workflow_started' });
    expect((await server.$.Workflow.update({ id: $id, name: 'renamed' })).name).toBe('renamed');
  });
});

describe('a failing step', () => {
  it('fails the workflow with the error and an event, and the scheduler carries on', async () => {
    const scheduler = await start();
    const doomed = await seedFlag(server, 'doomed');
    const healthy = await seedFlag(server, 'healthy');
    const failing = await seedWorkflow(server, doomed);
    const fine = await seedWorkflow(server, healthy);
    await server.$.FeatureFlag.delete({ id: doomed });

    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    const reports = await scheduler.runDue();
    expect(reports.map((r) => [r.workflowId, r.outcome.kind]).sort()).toEqual(
      [
        [failing.$id, 'failed'],
        [fine.$id, 'done'],
      ].sort(),
    );
    const failed = await server.$.Workflow.get({ id: failing.$id });
    expect(failed.status).toBe('Failed');
    expect(failed.error).toEqual({
      step: 0,
      code: 'not_found',
      message: `no FeatureFlag '${doomed}' in environment 'development'`,
    });
    expect(failed.runs!.map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(await workflowTrail(server, failing.$id)).toEqual([
      [
        'workflow.failed',
        {
          step: 0,
          action: 'FeatureFlag.rollout',
          error: { code: 'not_found', message: failed.error!.message },
        },
      ],
    ]);
    expect(await rolloutOf(server, healthy)).toBe(10);

    clock.advance(3 * WEEK);
    await scheduler.runDue();
    expect(await rolloutOf(server, healthy)).toBe(100);
    expect((await server.$.Workflow.get({ id: failing.$id })).status).toBe('Failed');
  });

  it('fails the workflow when a before-hook refuses the step', async () => {
    const scheduler = await start({
      hooks: ($) => {
        $.FeatureFlag.rollingout((input) => {
          if (input.percent > 20) throw new Error('rollouts above 20% are frozen this week');
        });
      },
    });
    const flag = await seedFlag(server);
    const { $id } = await seedWorkflow(server, flag);
    clock.ms = Date.parse('2026-03-16T09:00:00.000Z');
    await scheduler.runDue();
    const workflow = await server.$.Workflow.get({ id: $id });
    expect(workflow.status).toBe('Failed');
    expect(workflow.error).toMatchObject({
      step: 1,
      code: 'refused_by_hook',
      message: 'rollouts above 20% are frozen this week',
    });
    expect(await rolloutOf(server, flag)).toBe(10);
  });

  it('keeps a step pending and retries it later when the store fails under it', async () => {
    const { SqliteStore } = await import('../../src/store/sqlite-store');
    const real = await SqliteStore.open(':memory:');
    let failures = 0;
    const store = {
      engine: real.engine,
      read: real.read.bind(real),
      onCommit: real.onCommit.bind(real),
      close: real.close.bind(real),
      transaction: <T>(fn: Parameters<typeof real.transaction<T>>[0]) =>
        failures-- > 0 ? Promise.reject(new Error('disk I/O error')) : real.transaction(fn),
    };
    const scheduler = await start({ store, scheduler: { retryBaseMs: 5000, timer: false } });
    const flag = await seedFlag(server);
    const { $id } = await seedWorkflow(server, flag);
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    failures = 1;
    const [report] = await scheduler.runDue();
    expect(report!.outcome).toMatchObject({ kind: 'retry', error: new Error('disk I/O error') });
    expect((await server.$.Workflow.get({ id: $id })).runs![0]!.status).toBe('pending');
    // It waits out the backoff instead of spinning.
    expect(scheduler.nextDueAt?.toISOString()).toBe('2026-03-09T09:00:05.000Z');
    expect(await scheduler.runDue()).toEqual([]);
    clock.advance(5000);
    expect((await scheduler.runDue()).map((r) => r.outcome.kind)).toEqual(['done']);
    expect(await rolloutOf(server, flag)).toBe(10);
    await server.close();
    await real.close();
  });
});
