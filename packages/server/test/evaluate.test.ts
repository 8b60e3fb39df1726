import { assignExperiment, evaluateFlag } from '@switchyard/core';
import type { ConfigSnapshot } from '@switchyard/core/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { ONBOARDING } from './support/switchyard';

let t: TestServer;
let experiment: string;
let concluded: string;
let newNav: string;

beforeAll(async () => {
  t = await startServer({ webhooks: false });
  const $ = t.server.$;
  const running = await $.Experiment.create({ ...ONBOARDING, trafficAllocation: 80 });
  await $.Experiment.start({ id: running.$id });
  experiment = running.$id;
  const done = await $.Experiment.create({ ...ONBOARDING, name: 'Concluded one' });
  await $.Experiment.start({ id: done.$id });
  await $.Experiment.conclude({ id: done.$id, winner: 'simplified' });
  concluded = done.$id;
  await $.Segment.create({ key: 'dach', condition: { country: { $in: ['DE', 'AT', 'CH'] } } });
  newNav = (await $.FeatureFlag.create({ key: 'new-nav', rolloutPercent: 37, enabled: true })).$id;
  await $.FeatureFlag.create({
    key: 'theme',
    variants: [
      { key: 'light', value: 'light' },
      { key: 'dark', value: 'dark' },
    ],
    rules: [{ condition: { $inSegment: 'dach' }, variant: 'dark' }],
    enabled: true,
  });
  await $.FeatureFlag.create({
    key: 'onboarding',
    variants: [
      { key: 'control', value: 'control' },
      { key: 'simplified', value: 'simplified' },
    ],
    rules: [{ experiment }],
    enabled: true,
  });
  await $.FeatureFlag.create({
    key: 'staff-tools',
    serverOnly: true,
    enabled: true,
    rolloutPercent: 100,
  });
  await $.FeatureFlag.create({ key: 'dormant', rolloutPercent: 50 });
});
afterAll(async () => {
  await t.close();
});

const config = async (key: string): Promise<ConfigSnapshot> =>
  (await t.api('GET', '/v1/config', undefined, key)).body as ConfigSnapshot;

const contexts = [
  { userId: 'u-1', country: 'DE' },
  { userId: 'Zoë-ß', country: 'FR' },
  { userId: '用户-42', country: 'CH' },
  { userId: '🚀-7' },
  { country: 'DE' },
];

describe('POST /v1/evaluate', () => {
  it("evaluates every flag and experiment of a server key's environment as core does", async () => {
    const snapshot = await config(t.key('server'));
    for (const context of contexts) {
      const answer = await t.api('POST', '/v1/evaluate', { context }, t.key('server'));
      expect(answer.status).toBe(200);
      expect(answer.body.version).toBe(snapshot.version);
      expect(Object.keys(answer.body.flags).sort()).toEqual(Object.keys(snapshot.flags).sort());
      for (const key of Object.keys(snapshot.flags)) {
        expect(answer.body.flags[key]).toEqual(
          JSON.parse(JSON.stringify(evaluateFlag(snapshot, key, context))),
        );
      }
      expect(Object.keys(answer.body.experiments).sort()).toEqual([concluded, experiment].sort());
      expect(answer.body.experiments[experiment]).toEqual(
        assignExperiment(snapshot, experiment, context),
      );
      expect(answer.body.experiments[concluded]).toMatchObject({
        variant: 'simplified',
        reason: 'WINNER',
      });
    }
  });

  it('gives client keys the client view: a serverOnly flag is not found', async () => {
    const answer = await t.api('POST', '/v1/evaluate', { context: contexts[0] }, t.key('client'));
    expect(answer.status).toBe(200);
    expect(answer.body.flags['staff-tools']).toBeUndefined();
    expect(answer.body.flags['new-nav']).toBeDefined();
    const named = await t.api(
      'POST',
      '/v1/evaluate',
      { context: contexts[0], flags: ['staff-tools'] },
      t.key('client'),
    );
    expect(named.body.flags['staff-tools']).toMatchObject({
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    const server = await t.api(
      'POST',
      '/v1/evaluate',
      { context: contexts[0], flags: ['staff-tools'] },
      t.key('server'),
    );
    expect(server.body.flags['staff-tools']).toMatchObject({ value: true, variant: 'on' });
  });

  it('evaluates only the named flags and experiments, unknown ones as not found', async () => {
    const answer = await t.api(
      'POST',
      '/v1/evaluate',
      { context: contexts[0], flags: ['theme', 'nope', '__proto__'], experiments: ['exp_none'] },
      t.key('server'),
    );
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.flags)).toEqual(['theme', 'nope', '__proto__']);
    expect(answer.body.flags.theme).toMatchObject({ value: 'dark', reason: 'TARGETING_MATCH' });
    expect(answer.body.flags.nope).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
    expect(answer.body.experiments).toEqual({
      exp_none: { variant: null, reason: 'NOT_FOUND', inExperiment: false },
    });
  });

  it("serves the caller's defaults where the flag serves no value, and checks their type", async () => {
    const answer = await t.api(
      'POST',
      '/v1/evaluate',
      {
        context: contexts[0],
        flags: ['dormant', 'theme'],
        defaults: { dormant: false, theme: 42 },
      },
      t.key('server'),
    );
    expect(answer.body.flags.dormant).toEqual({
      value: false,
      reason: 'DISABLED',
      inExperiment: false,
    });
    expect(answer.body.flags.theme).toMatchObject({ value: 42, errorCode: 'TYPE_MISMATCH' });
    const bare = await t.api(
      'POST',
      '/v1/evaluate',
      { context: contexts[0], flags: ['dormant'] },
      t.key('server'),
    );
    expect(bare.body.flags.dormant).toEqual({ reason: 'DISABLED', inExperiment: false });
  });

  it('answers a batch of contexts in order, each as its single request does', async () => {
    const batch = await t.api('POST', '/v1/evaluate', { contexts }, t.key('server'));
    expect(batch.status).toBe(200);
    expect(batch.body.results).toHaveLength(contexts.length);
    for (const [i, context] of contexts.entries()) {
      const single = await t.api('POST', '/v1/evaluate', { context }, t.key('server'));
      expect(batch.body.results[i]).toEqual({
        flags: single.body.flags,
        experiments: single.body.experiments,
      });
    }
  });

  it('keeps non-ASCII units and lone surrogates exact through the JSON round trip', async () => {
    const units = ['\ud800', 'a\udc00b', '\udfff\ud800', 'e\u0301', '\u05e9\u05dc\u05d5\u05dd'];
    const answer = await t.api(
      'POST',
      '/v1/evaluate',
      { contexts: units.map((userId) => ({ userId })), experiments: [experiment] },
      t.key('server'),
    );
    const snapshot = await config(t.key('server'));
    units.forEach((userId, i) => {
      const assignment = answer.body.results[i].experiments[experiment];
      expect(assignment.unit).toBe(userId);
      expect(assignment).toEqual(assignExperiment(snapshot, experiment, { userId }));
    });
  });

  it("evaluates the environment an admin key names, and refuses another key's environment", async () => {
    await t.server.switchyard
      .context('production')
      .FeatureFlag.create({ key: 'prod-only', enabled: true, rolloutPercent: 100 });
    const admin = await t.api('POST', '/v1/evaluate?environment=production', {
      context: contexts[0],
    });
    expect(admin.status).toBe(200);
    expect(Object.keys(admin.body.flags)).toEqual(['prod-only']);
    expect(admin.body.flags['prod-only']).toMatchObject({ value: true });
    const dev = await t.api(
      'POST',
      '/v1/evaluate?environment=production',
      { context: contexts[0] },
      t.key('server'),
    );
    expect(dev.status).toBe(403);
    expect(dev.body.error.code).toBe('forbidden');
    const prodServer = await t.api(
      'POST',
      '/v1/evaluate',
      { context: contexts[0] },
      t.key('server', 'production'),
    );
    expect(Object.keys(prodServer.body.flags)).toEqual(['prod-only']);
  });

  it('wants a key', async () => {
    const answer = await t.api('POST', '/v1/evaluate', { context: contexts[0] }, null);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it.each([
    ['no context', {}, []],
    ['both context and contexts', { context: {}, contexts: [{}] }, []],
    ['a context that is not an object', { context: 'u-1' }, ['context']],
    ['a context in a batch that is an array', { contexts: [{}, []] }, ['contexts', 1]],
    ['an empty batch', { contexts: [] }, ['contexts']],
    ['too many contexts', { contexts: Array.from({ length: 1001 }, () => ({})) }, ['contexts']],
    ['flags that are not keys', { context: {}, flags: [''] }, ['flags', 0]],
    ['an unknown field', { context: {}, user: 'u-1' }, []],
  ])('refuses %s with the issues', async (_, body, path) => {
    const answer = await t.api('POST', '/v1/evaluate', body, t.key('server'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_input');
    expect(answer.body.error.issues[0].path).toEqual(path);
  });

  it('refuses a body that is not JSON in the one error shape', async () => {
    const answer = await t.raw('POST', '/v1/evaluate', '{"context":', t.key('server'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('malformed_json');
  });

  it("reads the config feed's snapshot: built by no request, at /v1/config's version, changed at once", async () => {
    const sy = t.server.switchyard;
    const build = sy.configSnapshot.bind(sy);
    let builds = 0;
    sy.configSnapshot = (environment) => {
      builds++;
      return build(environment);
    };
    const ask = (key = t.key('server')) =>
      t.api('POST', '/v1/evaluate', { context: { userId: 'u-9' }, flags: ['new-nav'] }, key);
    try {
      await t.server.$.FeatureFlag.rollout({ id: newNav, percent: 0 });
      const first = await ask();
      const answers = await Promise.all([ask(), ask(t.key('client'))]);
      expect(first.body.version).toBe((await config(t.key('server'))).version);
      expect(answers.map((a) => a.body.version)).toEqual([first.body.version, first.body.version]);
      expect(first.body.flags['new-nav']).toMatchObject({ value: false, reason: 'DEFAULT' });
      await t.server.$.FeatureFlag.rollout({ id: newNav, percent: 100 });
      const after = await ask();
      expect(after.body.version).toBeGreaterThan(first.body.version);
      expect(after.body.version).toBe(t.server.realtime.feed.loaded('development')?.version);
      expect(after.body.flags['new-nav']).toMatchObject({ value: true, variant: 'on' });
      expect(builds).toBe(0);
    } finally {
      sy.configSnapshot = build;
    }
  });
});
