import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SwitchyardServer } from '../../src/server';
import { ENGINES } from '../support/engines';
import { ONBOARDING, TestClock } from '../support/switchyard';
import { DAY, HOUR, WEEK, clockedServer, domainLog, rolloutOf, seedFlag } from './support/rollout';

/** A fresh database of `engine` that survives a restart, and how to remove it. */
function database(engine: (typeof ENGINES)[number]) {
  if (engine.name === 'postgres') {
    const db = engine.serverDb();
    return { options: { db: db.db, schema: db.schema! }, dispose: db.dispose };
  }
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-triggers-'));
  return {
    options: { db: join(dir, 'switchyard.db') },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const steps = (flag: string) => [
  { action: 'FeatureFlag.rollout', id: flag, percent: 25 },
  { action: 'FeatureFlag.rollout', id: flag, percent: 100, delay: '1w' },
];

/** The rows that count: triggers and completed steps of `id`, as `type step`. */
async function trail(server: SwitchyardServer, id: string): Promise<string[]> {
  return (await domainLog(server))
    .filter((e) => e.entityId === id && e.type !== 'workflow.created')
    .map((e) => `${e.type}${e.payload.step === undefined ? '' : ` ${String(e.payload.step)}`}`);
}

describe.each(ENGINES.map((engine) => [engine.name, engine] as const))(
  'triggers across restarts on %s',
  (_name, engine) => {
    it('keeps a trigger committed with its event, and runs its steps once after a restart', async () => {
      const db = database(engine);
      const start = Date.parse('2026-03-04T14:00:00.000Z');
      const servers: SwitchyardServer[] = [];
      const open = async (clock: TestClock, scheduler: false | { timer: false }) => {
        const { server } = await clockedServer({ ...db.options, clock, scheduler });
        servers.push(server);
        return server;
      };
      try {
        // First run: no scheduler here, so the triggered steps are left for the next start.
        const clock = new TestClock(start);
        const first = await open(clock, false);
        const byEvent = await seedFlag(first, 'by-event');
        const byHand = await seedFlag(first, 'by-hand');
        const experiment = await first.$.Experiment.create(ONBOARDING);
        await first.$.Experiment.start({ id: experiment.$id });
        const onConclusion = await first.$.Workflow.create({
          name: 'Roll out the winner',
          trigger: { type: 'event', event: 'experiment.concluded', entity: experiment.$id },
          steps: steps(byEvent),
        });
        const manual = await first.$.Workflow.create({
          name: 'Roll out by hand',
          trigger: { type: 'manual' },
          steps: steps(byHand),
        });
        clock.advance(DAY);
        const triggeredAt = new Date(clock.ms).toISOString();
        await first.$.Experiment.conclude({ id: experiment.$id, winner: 'simplified' });
        await first.$.Workflow.trigger({ id: manual.$id });
        await first.close();

        // Second run an hour later: both triggers are there and the first steps run at start.
        clock.advance(HOUR);
        const second = await open(clock, { timer: false });
        await second.scheduler!.idle();
        for (const [id, flag] of [
          [onConclusion.$id, byEvent],
          [manual.$id, byHand],
        ] as const) {
          const workflow = await second.$.Workflow.get({ id });
          expect(workflow).toMatchObject({ status: 'Active', triggeredAt });
          expect(await trail(second, id)).toEqual([
            'workflow.triggered',
            'workflow.step_completed 0',
          ]);
          expect(await rolloutOf(second, flag)).toBe(25);
        }
        await expect(second.$.Workflow.trigger({ id: manual.$id })).rejects.toMatchObject({
          status: 409,
        });
        await second.close();

        // Third run at the same time runs nothing again; the second steps come a week after the
        // trigger.
        const third = await open(clock, { timer: false });
        await third.scheduler!.idle();
        expect(await trail(third, onConclusion.$id)).toHaveLength(2);
        clock.ms = Date.parse(triggeredAt) + WEEK;
        await third.scheduler!.runDue();
        expect(await rolloutOf(third, byEvent)).toBe(100);
        expect(await rolloutOf(third, byHand)).toBe(100);
        expect(await trail(third, onConclusion.$id)).toEqual([
          'workflow.triggered',
          'workflow.step_completed 0',
          'workflow.step_completed 1',
          'workflow.completed',
        ]);
        const log = await domainLog(third);
        expect(log.filter((e) => e.type === 'workflow.triggered')).toHaveLength(2);
      } finally {
        for (const server of servers) await server.close().catch(() => undefined);
        await db.dispose();
      }
    }, 30_000);

    it('rolls a trigger back with its event, and triggers once when two instances race', async () => {
      const db = database(engine);
      const clock = new TestClock(Date.parse('2026-03-04T14:00:00.000Z'));
      const servers: SwitchyardServer[] = [];
      try {
        for (let i = 0; i < (engine.name === 'postgres' ? 2 : 1); i++) {
          servers.push((await clockedServer({ ...db.options, clock, scheduler: false })).server);
        }
        const [a, b = a] = servers as [SwitchyardServer, SwitchyardServer?];
        const flag = await seedFlag(a);
        const experiment = await a.$.Experiment.create(ONBOARDING);
        await a.$.Experiment.start({ id: experiment.$id });
        const { $id: id } = await a.$.Workflow.create({
          name: 'Roll out the winner',
          trigger: { type: 'event', event: 'experiment.concluded' },
          steps: steps(flag),
        });
        const write = await a.switchyard.prepareWrite(
          'Experiment',
          'conclude',
          { id: experiment.$id, winner: 'control' },
          'development',
          'system',
        );
        await expect(
          a.store.transaction(async (tx) => {
            await a.switchyard.applyWrite(tx, write);
            throw new Error('crash before commit');
          }),
        ).rejects.toThrow('crash before commit');
        expect((await b.$.Workflow.get({ id })).status).toBe('Waiting');
        expect((await b.$.Experiment.get({ id: experiment.$id })).status).toBe('Running');

        // Both instances (one on SQLite) trigger it at once: exactly one wins.
        const manual = await b.$.Workflow.create({
          name: 'By hand',
          trigger: { type: 'manual' },
          steps: steps(flag),
        });
        const outcomes = await Promise.allSettled([
          a.$.Workflow.trigger({ id: manual.$id }),
          b.$.Workflow.trigger({ id: manual.$id }),
          a.$.Experiment.conclude({ id: experiment.$id, winner: 'control' }),
          b.$.Experiment.conclude({ id: experiment.$id, winner: 'control' }),
        ]);
        expect(outcomes.map((o) => o.status).sort()).toEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'rejected',
        ]);
        const log = await domainLog(a);
        const triggered = log.filter((e) => e.type === 'workflow.triggered');
        expect(triggered.map((e) => e.entityId).sort()).toEqual([id, manual.$id].sort());
        const concluded = log.find((e) => e.type === 'experiment.concluded')!;
        expect(triggered.find((e) => e.entityId === id)!.seq).toBe(concluded.seq + 1);
      } finally {
        for (const server of servers) await server.close().catch(() => undefined);
        await db.dispose();
      }
    }, 30_000);
  },
);
