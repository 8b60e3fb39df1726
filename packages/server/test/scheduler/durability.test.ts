import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SwitchyardServer } from '../../src/server';
import { ENGINES } from '../support/engines';
import { TestClock } from '../support/switchyard';
import {
  WEEK,
  clockedServer,
  domainLog,
  rolloutOf,
  seedFlag,
  seedWorkflow,
  workflowTrail,
} from './support/rollout';

describe('across restarts, on a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-scheduler-'));
  const db = join(dir, 'switchyard.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the steps that fell due while it was down, once each and in order, at start', async () => {
    const first = await clockedServer({ db }); // Wednesday 2026-03-04 14:00
    const flag = await seedFlag(first.server);
    const { $id } = await seedWorkflow(first.server, flag);
    await first.server.close();

    // Down over two Mondays (03-09 and 03-16): back on Tuesday 03-17.
    const later = new TestClock(Date.parse('2026-03-17T10:00:00.000Z'));
    const second = await clockedServer({ db, clock: later });
    await second.server.scheduler!.idle();
    expect(await rolloutOf(second.server, flag)).toBe(50);
    const trail = (await workflowTrail(second.server, $id)).map(([type, p]) =>
      type === 'workflow.step_completed' ? `step ${p.step}` : `${type} ${p.percent}`,
    );
    expect(trail).toEqual([
      'featureflag.rolledout 10',
      'step 0',
      'featureflag.rolledout 50',
      'step 1',
    ]);
    const workflow = await second.server.$.Workflow.get({ id: $id });
    expect(workflow.runs!.map((r) => [r.status, r.ranAt ?? null])).toEqual([
      ['done', '2026-03-17T10:00:00.000Z'],
      ['done', '2026-03-17T10:00:00.000Z'],
      ['pending', null],
    ]);
    await second.server.close();

    // A third start at the same time runs nothing again; the last step still comes.
    const third = await clockedServer({ db, clock: later });
    await third.server.scheduler!.idle();
    expect((await workflowTrail(third.server, $id)).length).toBe(4);
    later.ms = Date.parse('2026-03-23T09:00:00.000Z');
    await third.server.scheduler!.runDue();
    expect(await rolloutOf(third.server, flag)).toBe(100);
    expect((await third.server.$.Workflow.get({ id: $id })).status).toBe('Completed');
    await third.server.close();
  });

  it('lets a step in progress finish when the server closes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { server, clock } = await clockedServer({
      db,
      hooks: ($) => {
        // Holds the step's verb in its before-hook until the test lets it go.
        $.FeatureFlag.rollingout(() => gate);
      },
    });
    const flag = await seedFlag(server, 'slow');
    const { $id } = await seedWorkflow(server, flag);
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    const running = server.scheduler!.runDue();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = server.close();
    release();
    await closing;
    await running;
    const reopened = await clockedServer({ db, clock });
    await reopened.server.scheduler!.idle();
    const trail = await workflowTrail(reopened.server, $id);
    expect(trail.filter(([type]) => type === 'workflow.step_completed')).toHaveLength(1);
    expect(await rolloutOf(reopened.server, flag)).toBe(10);
    await reopened.server.close();
  });
});

const postgres = ENGINES.find((engine) => engine.name === 'postgres');

describe.skipIf(!postgres)('several instances on one PostgreSQL', () => {
  it('runs every step exactly once when two instances look at the same time', async () => {
    const database = postgres!.serverDb();
    const options = { db: database.db, ...(database.schema ? { schema: database.schema } : {}) };
    const clockA = new TestClock(Date.parse('2026-03-04T14:00:00.000Z'));
    const clockB = new TestClock(clockA.ms);
    // No timers: the test makes both instances look at once, again and again.
    const servers: SwitchyardServer[] = [];
    try {
      const a = (await clockedServer({ ...options, clock: clockA, scheduler: { timer: false } }))
        .server;
      servers.push(a);
      const b = (await clockedServer({ ...options, clock: clockB, scheduler: { timer: false } }))
        .server;
      servers.push(b);
      const workflows: { flag: string; id: string }[] = [];
      for (let i = 0; i < 8; i++) {
        const flag = await seedFlag(i % 2 ? a : b, `flag-${i}`);
        workflows.push({ flag, id: (await seedWorkflow(i % 2 ? b : a, flag)).$id });
      }
      let done = 0;
      for (const moment of [
        '2026-03-09T09:00:00Z',
        '2026-03-16T09:00:00Z',
        '2026-03-23T09:00:00Z',
      ]) {
        clockA.ms = clockB.ms = Date.parse(moment);
        const passes = await Promise.all([
          a.scheduler!.runDue(),
          b.scheduler!.runDue(),
          a.scheduler!.runDue(),
          b.scheduler!.runDue(),
        ]);
        for (const reports of passes) {
          done += reports.filter((r) => r.outcome.kind === 'done').length;
        }
      }
      await Promise.all([a.scheduler!.idle(), b.scheduler!.idle()]);
      const log = await domainLog(a);
      for (const { flag, id } of workflows) {
        const rollouts = log.filter((e) => e.actor === `workflow:${id}`);
        expect(rollouts.map((e) => e.payload.percent)).toEqual([10, 50, 100]);
        const steps = log.filter((e) => e.entityId === id && e.type === 'workflow.step_completed');
        expect(steps.map((e) => e.payload.step)).toEqual([0, 1, 2]);
        expect(await rolloutOf(b, flag)).toBe(100);
        expect((await b.$.Workflow.get({ id })).status).toBe('Completed');
      }
      // Every step was done by exactly one of the two passes that raced for it.
      expect(done).toBe(workflows.length * 3);
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    } finally {
      for (const server of servers) await server.close();
      await database.dispose();
    }
  });
});
