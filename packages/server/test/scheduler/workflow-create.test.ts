import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server';
import { startServer } from '../support/server';
import { TestClock } from '../support/switchyard';
import { MONDAYS_AT_9, seedFlag, seedSteps } from './support/rollout';

let t: TestServer;
let flag: string;
const clock = new TestClock(Date.parse('2026-03-04T14:00:00.000Z'));

beforeAll(async () => {
  t = await startServer({ clock, webhooks: false, scheduler: { timer: false } });
  flag = await seedFlag(t.server);
});
afterAll(async () => {
  await t.close();
});

const body = (change: Record<string, unknown> = {}) => ({
  name: 'Rollout: onboarding-v2',
  trigger: { type: 'schedule', cron: MONDAYS_AT_9 },
  steps: seedSteps(flag),
  ...change,
});

async function refused(change: Record<string, unknown>) {
  const answer = await t.api('POST', '/v1/workflows', body(change));
  expect(answer.status).toBe(400);
  return answer.body.error as {
    code: string;
    message: string;
    issues: { path: unknown[]; message: string }[];
  };
}

describe('creating a workflow', () => {
  it('answers the stored step plan', async () => {
    const answer = await t.api('POST', '/v1/workflows', body());
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: 'Active',
      startAt: '2026-03-04T14:00:00.000Z',
      runs: [
        { status: 'pending', dueAt: '2026-03-09T09:00:00.000Z' },
        { status: 'pending', dueAt: '2026-03-16T09:00:00.000Z' },
        { status: 'pending', dueAt: '2026-03-23T09:00:00.000Z' },
      ],
    });
  });

  it('refuses a bad cron expression at trigger.cron, naming the field', async () => {
    const error = await refused({ trigger: { type: 'schedule', cron: '61 9 * * MON' } });
    expect(error.code).toBe('invalid_input');
    expect(error.issues).toEqual([
      { path: ['trigger', 'cron'], message: "minute field '61': 61 is outside 0–59" },
    ]);
    expect(error.message).toContain('at trigger.cron');
    for (const [cron, text] of [
      ['0 9 * * FUN', "day of week field 'FUN'"],
      ['0 9 * *', '5 fields'],
      ['0 9 30 2 *', 'never fires'],
      ['0 9 * 1-13 *', "month field '1-13'"],
    ]) {
      const issue = (await refused({ trigger: { type: 'schedule', cron } })).issues[0]!;
      expect(issue.path).toEqual(['trigger', 'cron']);
      expect(issue.message).toContain(text);
    }
  });

  it('refuses an unknown time zone at trigger.timezone', async () => {
    const error = await refused({
      trigger: { type: 'schedule', cron: MONDAYS_AT_9, timezone: 'Mars/Olympus' },
    });
    expect(error.issues[0]!.path).toEqual(['trigger', 'timezone']);
  });

  it('refuses delays that are not 0 or a number with w, d, h or m', async () => {
    for (const delay of ['1 week', '1y', '-1d', '1.5h', '']) {
      const steps = [{ ...seedSteps(flag)[0], delay }];
      const error = await refused({ steps });
      expect(error.issues[0]!.path).toEqual(['steps', 0, 'delay']);
    }
  });

  it('accepts 0, minutes, hours, days and weeks, and refuses a delay shorter than the one before', async () => {
    const delays = ['0', '30m', '12h', '3d', '2w'];
    const steps = delays.map((delay, i) => ({
      ...seedSteps(flag)[0],
      percent: 10 * (i + 1),
      delay,
    }));
    const hourly = { type: 'schedule', cron: '0 * * * *' };
    const ok = await t.api('POST', '/v1/workflows', body({ trigger: hourly, steps }));
    expect(ok.status).toBe(201);
    expect(ok.body.runs.map((r: { dueAt: string }) => r.dueAt)).toEqual([
      '2026-03-04T14:00:00.000Z',
      '2026-03-04T15:00:00.000Z',
      '2026-03-05T02:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-18T14:00:00.000Z',
    ]);
    const error = await refused({ steps: [steps[3], steps[1]] });
    expect(error.issues).toEqual([
      {
        path: ['steps', 1, 'delay'],
        message: "steps run in order: step 1's delay 30m is shorter than an earlier step's",
      },
    ]);
  });

  it('counts the delays from startAt, and starts now when startAt has passed', async () => {
    const later = await t.api('POST', '/v1/workflows', body({ startAt: '2026-04-01T00:00:00Z' }));
    expect(later.body.startAt).toBe('2026-04-01T00:00:00.000Z');
    expect(later.body.runs[0].dueAt).toBe('2026-04-06T09:00:00.000Z');
    const past = await t.api('POST', '/v1/workflows', body({ startAt: '2020-01-01T00:00:00Z' }));
    expect(past.body.startAt).toBe('2026-03-04T14:00:00.000Z');
    expect(past.body.runs[0].dueAt).toBe('2026-03-09T09:00:00.000Z');
    for (const startAt of [8.64e15, 9e15, '+100000-01-01T00:00:00Z', 'soon']) {
      expect((await refused({ startAt })).issues[0]!.path).toEqual(['startAt']);
    }
  });

  it('refuses a guard on an undefined metric or on a step that moves no flag, and keeps a valid one', async () => {
    const guard = { metric: 'activation_rate', maxDrop: 0.05 };
    const undefinedMetric = await refused({ steps: [{ ...seedSteps(flag)[0], guard }] });
    expect(undefinedMetric.issues).toEqual([
      {
        path: ['steps', 0, 'guard', 'metric'],
        message:
          "no Metric 'activation_rate' in environment 'development': define it first (Metric.define)",
      },
    ]);
    const enable = { action: 'FeatureFlag.enable', id: flag, guard };
    expect((await refused({ steps: [enable] })).issues).toEqual([
      {
        path: ['steps', 0, 'guard'],
        message: 'a guard watches the flag of a FeatureFlag.rollout step, not FeatureFlag.enable',
      },
    ]);

    await t.server.$.Metric.define({
      name: 'activation_rate',
      kind: 'conversion',
      event: 'onboarding.completed',
    });
    const steps = seedSteps(flag).map((s, i) => (i === 0 ? s : { ...s, guard }));
    const created = await t.api('POST', '/v1/workflows', body({ steps }));
    expect(created.status).toBe(201);
    expect(created.body.steps[1].guard).toEqual(guard);
    // An update that changes the steps is checked the same way; one that does not, is not.
    const id = created.body.$id as string;
    const bad = [{ ...seedSteps(flag)[0], guard: { metric: 'nope', maxDrop: 0.1 } }];
    const patched = await t.api('PATCH', `/v1/workflows/${id}`, { steps: bad });
    expect(patched.status).toBe(400);
    expect(patched.body.error.issues[0].path).toEqual(['steps', 0, 'guard', 'metric']);
    expect((await t.api('PATCH', `/v1/workflows/${id}`, { name: 'renamed' })).status).toBe(200);
  });

  it('stores workflows with other triggers without a step plan', async () => {
    const manual = await t.api('POST', '/v1/workflows', body({ trigger: { type: 'manual' } }));
    expect(manual.status).toBe(201);
    expect(manual.body.runs).toBeUndefined();
  });
});

describe('the workflow routes', () => {
  it('pause, resume and cancel through POST /v1/workflows/:id/<verb>', async () => {
    const { $id } = (await t.api('POST', '/v1/workflows', body())).body;
    const paused = await t.api('POST', `/v1/workflows/${$id}/pause`);
    expect(paused).toMatchObject({ status: 200, body: { status: 'Paused' } });
    const again = await t.api('POST', `/v1/workflows/${$id}/pause`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('it is Paused');
    expect((await t.api('POST', `/v1/workflows/${$id}/resume`)).body.status).toBe('Active');
    expect((await t.api('POST', `/v1/workflows/${$id}/cancel`)).body.status).toBe('Cancelled');
    expect((await t.api('POST', `/v1/workflows/${$id}/explode`)).status).toBe(404);
    expect((await t.api('POST', '/v1/workflows/workflow_nope/pause')).status).toBe(404);
  });

  it('refuses the workflow routes to SDK keys', async () => {
    const { $id } = (await t.api('POST', '/v1/workflows', body())).body;
    const answer = await t.api('POST', `/v1/workflows/${$id}/pause`, undefined, t.key('server'));
    expect(answer.status).toBe(403);
  });
});
