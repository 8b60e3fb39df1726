import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { remoteHookCursor } from '../../server/src/remote-hooks';
import { createManagement, RemoteHookError } from '../src';
import type { Management, ManagementOptions } from '../src';
import { startChild } from './support/child';
import type { Child } from './support/child';
import { waitFor } from './support/fixtures';
import { ADMIN_KEY, startRealServer } from './support/real-server';
import type { RealServer } from './support/real-server';

const ONBOARDING = {
  name: 'Onboarding Flow V2',
  variants: [
    { key: 'control', weight: 50 },
    { key: 'simplified', weight: 50 },
  ],
};

// Against the real server: REST, verbs, the sync hub at /v1/stream and its remote hook delivery.
describe('remote hooks', () => {
  let real: RealServer;
  const managements: Management[] = [];
  const children: Child[] = [];
  beforeEach(async () => {
    real = await startRealServer();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.process.kill('SIGKILL');
    await Promise.all(managements.splice(0).map((m) => m.close({ timeoutMs: 500 })));
    await real.close();
  });

  function management(options: ManagementOptions = {}) {
    const $ = createManagement({ url: real.url, adminKey: ADMIN_KEY, ...options });
    managements.push($);
    return $;
  }

  const cursorOf = (name: string) =>
    real.server.store.read((r) => r.getCursor(remoteHookCursor(name)));

  async function concludedExperiment($: Management) {
    const experiment = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id: experiment.$id });
    return $.Experiment.conclude({ id: experiment.$id, winner: 'simplified', confidence: 0.97 });
  }

  it('runs the seed hook with the experiment and a $ bound to the same server, then acknowledges', async () => {
    const $ = management({ hooks: { name: 'seed' } });
    const seen: { winner?: string; environment: string; seq: number }[] = [];
    $.Experiment.concluded(async (experiment, $$, event) => {
      seen.push({ winner: experiment.winner, environment: $$.environment, seq: event.seq });
      const flag = await $$.FeatureFlag.create({
        key: 'onboarding-v2',
        description: experiment.name,
        variant: experiment.winner,
        rolloutPercent: 10,
      });
      await $$.FeatureFlag.enable({ id: flag.$id });
    });
    const concluded = await concludedExperiment($);
    // Acknowledged once the hook resolved: the name's progress passes the conclusion.
    await expect.poll(() => cursorOf('seed')).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([{ winner: 'simplified', environment: 'development', seq: 3 }]);
    const flag = await $.FeatureFlag.get('onboarding-v2');
    expect(flag).toMatchObject({
      description: concluded.name,
      variant: 'simplified',
      rolloutPercent: 10,
      enabled: true,
    });
    const enabled = await $.log({ types: ['featureflag.enabled'] });
    const admin = (await $.Key.list()).find((k) => k.kind === 'admin')!;
    expect(enabled.data.map((e) => e.actor)).toEqual([`admin:${admin.id}`]);
  });

  it('hears verbs its management API ran before the hook was registered, as the seed writes it', async () => {
    const $ = management();
    const concluded = await concludedExperiment($);
    const heard: string[] = [];
    $.Experiment.concluded((experiment) => void heard.push(experiment.$id));
    await waitFor(() => heard.length === 1);
    expect(heard).toEqual([concluded.$id]);
    // A management API created now starts after it: only new events. (With the same hooks and
    // no name, it would share the first one's name and stand by behind it.)
    const late = management({ hooks: { name: 'late' } });
    const lateHeard: string[] = [];
    late.Experiment.concluded((experiment) => void lateHeard.push(experiment.$id));
    const next = await concludedExperiment(late);
    await waitFor(() => lateHeard.length === 1);
    expect(lateHeard).toEqual([next.$id]);
  });

  it('runs events one at a time in log order, and only its environment’s when scoped', async () => {
    const $ = management();
    const prod = management({ environment: 'production' });
    const all: string[] = [];
    const production: string[] = [];
    $.FeatureFlag.created(async (flag) => {
      all.push(`created ${flag.key}`);
      await new Promise((r) => setTimeout(r, 20));
    });
    $.FeatureFlag.enabled((flag) => void all.push(`enabled ${flag.key}`));
    prod.FeatureFlag.created((flag) => void production.push(flag.key));
    const a = await $.FeatureFlag.create({ key: 'a' });
    await $.FeatureFlag.enable({ id: a.$id });
    await prod.FeatureFlag.create({ key: 'p' });
    await $.FeatureFlag.create({ key: 'b' });
    await waitFor(() => all.length === 4 && production.length === 1);
    expect(all).toEqual(['created a', 'enabled a', 'created p', 'created b']);
    expect(production).toEqual(['p']);
  });

  it('retries a hook that throws and acknowledges only once it succeeded', async () => {
    const errors: RemoteHookError[] = [];
    const $ = management({
      hooks: { name: 'flaky', retry: { attempts: 5, baseMs: 40, maxMs: 80 } },
      onError: (e) => void (e instanceof RemoteHookError && errors.push(e)),
    });
    let calls = 0;
    $.Experiment.concluded(() => {
      calls++;
      if (calls < 3) throw new Error(`not yet (${calls})`);
    });
    const concluded = await concludedExperiment($);
    await waitFor(() => errors.length === 1);
    expect(await cursorOf('flaky')).toBeLessThan(3);
    await waitFor(() => calls === 3);
    await expect.poll(() => cursorOf('flaky')).toBe(3);
    expect(errors.map((e) => [e.hook, e.seq, e.attempt, e.final])).toEqual([
      ['experiment.concluded', 3, 1, false],
      ['experiment.concluded', 3, 2, false],
    ]);
    expect(errors[0]!.message).toMatch(/not yet \(1\)/);
    expect(concluded.status).toBe('Concluded');
  });

  it('gives up when the tries run out, says so, and goes on with the next event', async () => {
    const errors: RemoteHookError[] = [];
    const $ = management({
      hooks: { retry: { attempts: 2, baseMs: 5, maxMs: 5 } },
      onError: (e) => void (e instanceof RemoteHookError && errors.push(e)),
    });
    const created: string[] = [];
    $.FeatureFlag.created((flag) => {
      if (flag.key === 'broken') throw new Error('cannot');
      created.push(flag.key);
    });
    await $.FeatureFlag.create({ key: 'broken' });
    await $.FeatureFlag.create({ key: 'fine' });
    await waitFor(() => created.length === 1);
    expect(errors.map((e) => [e.attempt, e.final])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(created).toEqual(['fine']);
  });

  it('lets the running hook finish on close and acknowledges it', async () => {
    const $ = management({ hooks: { name: 'closing' } });
    let release!: () => void;
    let finished = false;
    $.Experiment.concluded(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await concludedExperiment($);
    await waitFor(() => release !== undefined);
    const closing = $.close({ timeoutMs: 3000 });
    setTimeout(() => release(), 50);
    await closing;
    expect(finished).toBe(true);
    await expect.poll(() => cursorOf('closing')).toBe(3);
  });

  it('delivers at least once: a process killed mid-hook gets the event again in the next one', async () => {
    const worker = fileURLToPath(new URL('./support/hook-worker.ts', import.meta.url));
    const env = { SWITCHYARD_URL: real.url, SWITCHYARD_ADMIN_KEY: ADMIN_KEY, HOOK_NAME: 'worker' };
    const first = startChild(worker, { ...env, HANG: '1' });
    children.push(first);
    const $ = management();
    const concluded = await concludedExperiment($);
    const started = await first.line((l) => l.started !== undefined);
    expect(started).toEqual({ started: 3, id: concluded.$id });
    first.process.kill('SIGKILL');
    await first.exited;
    expect(await cursorOf('worker')).toBe(0);

    const second = startChild(worker, env);
    children.push(second);
    await second.line((l) => l.done === 3);
    expect(second.lines[0]).toEqual({ started: 3, id: concluded.$id });
    const points = await $.Metric.points({ name: 'hooks.handled' });
    expect(points.map((p) => p.value)).toEqual([3]);
    await expect.poll(() => cursorOf('worker')).toBe(3);
  }, 30_000);
});
