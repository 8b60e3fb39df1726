import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, createManagement, NotFoundError } from '../src';
import type { Management } from '../src';
import { ADMIN_KEY, startRealServer } from './support/real-server';
import type { RealServer } from './support/real-server';

describe('Workflow.trigger through the management API', () => {
  let real: RealServer;
  let $: Management;
  beforeAll(async () => {
    // No scheduler: the steps' times are what the test looks at, not their runs.
    real = await startRealServer({ scheduler: false });
    $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
  });
  afterAll(async () => {
    await $.close();
    await real.close();
  });

  it('starts a waiting manual workflow once, and hears workflow.triggered', async () => {
    const flag = await $.FeatureFlag.create({ key: 'triggered-flag' });
    const workflow = await $.Workflow.create({
      name: 'Rollout by hand',
      trigger: { type: 'manual' },
      steps: [
        { action: 'FeatureFlag.rollout', id: flag.$id, percent: 10 },
        { action: 'FeatureFlag.rollout', id: flag.$id, percent: 100, delay: '1d' },
      ],
    });
    expect(workflow).toMatchObject({ status: 'Waiting', triggeredAt: null });
    expect(workflow.runs).toBeUndefined();

    const heard = new Promise<string>((resolve) => {
      $.Workflow.triggered((entity, _$, event) => resolve(`${event.type} ${entity.$id}`));
    });
    const started = await $.Workflow.trigger({ id: workflow.$id });
    expect(started).toMatchObject({ status: 'Active', triggeredBy: { actor: expect.any(String) } });
    const at = Date.parse(started.triggeredAt!);
    expect(started.runs!.map((r) => Date.parse(r.dueAt) - at)).toEqual([0, 86_400_000]);
    expect(await heard).toBe(`workflow.triggered ${workflow.$id}`);

    const again = $.Workflow.trigger({ id: workflow.$id });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({
      status: 409,
      code: 'illegal_transition',
      message: expect.stringContaining('it is Active'),
    });
    await expect($.Workflow.trigger({ id: 'workflow_nope' })).rejects.toBeInstanceOf(NotFoundError);
  });
});
