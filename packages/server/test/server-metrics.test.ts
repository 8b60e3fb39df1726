import type { Duplex } from 'node:stream';
import { CloseCodes, EXPOSURE_EVENT } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../src/server';
import { MONDAYS_AT_9, seedSteps } from './scheduler/support/rollout';
import type { TestServer } from './support/server';
import { StreamClient } from './support/stream-client';
import { ONBOARDING, TestClock } from './support/switchyard';
import { settled as settledServer, startAnalysisServer } from './analysis/support/analysis-server';
import { experimentTraffic, flagTraffic, ingest } from './analysis/support/traffic';

let t: TestServer;
const sockets: StreamClient[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.socket.terminate();
  await t?.close();
});

/** Resolves when `check` holds, polling every 10 ms for up to 5 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The value of one series of the server's `/metrics` (undefined when it is not exposed). */
async function sample(name: string, labels: Record<string, string> = {}) {
  const answer = await t.api('GET', '/metrics', undefined, null);
  expect(answer.status).toBe(200);
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of String(answer.body).split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelled = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (labelled === wanted) return Number(match[3]);
  }
  return undefined;
}

/** A server whose analyses follow ingestion at once and whose scheduler runs when told. */
async function start(options: ServerOptions = {}) {
  const clock = new TestClock(Date.parse('2026-03-04T14:00:00.000Z'));
  t = await startAnalysisServer({ clock, scheduler: { timer: false }, ...options });
  return clock;
}

const settled = () => settledServer(t);

async function runningExperiment(name: string) {
  const experiment = await t.server.$.Experiment.create({ ...ONBOARDING, name });
  await t.server.$.Experiment.start({ id: experiment.$id });
  return experiment.$id;
}

describe('the /metrics of the server', () => {
  it('counts auto and manual conclusions, SRM detections, guard trips and rollbacks', async () => {
    const clock = await start();
    expect(await sample('switchyard_experiments_concluded_total', { by: 'auto' })).toBe(0);

    const auto = await runningExperiment('Auto');
    await ingest(
      t,
      experimentTraffic(auto, [
        { variant: 'control', units: 500, converted: 50 },
        { variant: 'simplified', units: 500, converted: 100 },
      ]),
    );
    const manual = await runningExperiment('Manual');
    const conclude = { winner: 'control', confidence: 0.9 };
    expect((await t.api('POST', `/v1/experiments/${manual}/conclude`, conclude)).status).toBe(200);
    // 65/35 on a 50/50 split: a mismatch, which also keeps it from concluding.
    const skewed = await runningExperiment('Skewed');
    await ingest(
      t,
      experimentTraffic(
        skewed,
        [
          { variant: 'control', units: 1300, converted: 130 },
          { variant: 'simplified', units: 700, converted: 140 },
        ],
        'onboarding.completed',
        'skewed',
      ),
    );
    await settled();
    expect((await t.server.$.Experiment.get({ id: auto })).status).toBe('Concluded');

    // A guarded rollout whose flag does harm at 10%, and a flag rolled back by hand.
    const flag = await t.server.$.FeatureFlag.create({
      key: 'onboarding-v2',
      variant: 'simplified',
    });
    await t.server.$.FeatureFlag.enable({ id: flag.$id });
    const guard = { metric: 'activation_rate', maxDrop: 0.05 };
    await t.server.$.Workflow.create({
      name: 'Rollout: onboarding-v2',
      trigger: { type: 'schedule', cron: MONDAYS_AT_9 },
      steps: seedSteps(flag.$id).map((step, i) => (i === 0 ? step : { ...step, guard })),
    });
    clock.ms = Date.parse('2026-03-09T09:00:00.000Z');
    await t.server.scheduler!.runDue();
    await ingest(
      t,
      flagTraffic('onboarding-v2', [
        { variant: 'simplified', units: 400, converted: 20 },
        { variant: 'off', units: 3600, converted: 360 },
      ]),
    );
    await settled();
    expect((await t.server.$.FeatureFlag.get({ id: flag.$id })).rolloutPercent).toBe(0);
    const other = await t.server.$.FeatureFlag.create({ key: 'banner', rolloutPercent: 30 });
    expect((await t.api('POST', `/v1/flags/${other.$id}/rollback`, {})).status).toBe(200);

    expect(await sample('switchyard_experiments_concluded_total', { by: 'auto' })).toBe(1);
    expect(await sample('switchyard_experiments_concluded_total', { by: 'manual' })).toBe(1);
    expect(await sample('switchyard_srm_detections_total')).toBe(1);
    expect(await sample('switchyard_guard_trips_total')).toBe(1);
    expect(await sample('switchyard_flag_rollbacks_total', { by: 'guard' })).toBe(1);
    expect(await sample('switchyard_flag_rollbacks_total', { by: 'manual' })).toBe(1);
  });

  it('counts SDK events by outcome, over HTTP and the socket', async () => {
    await start({ analysis: false });
    const events = [
      {
        id: 'e-1',
        type: EXPOSURE_EVENT,
        unit: 'u1',
        properties: { experiment: 'x', variant: 'a' },
      },
      { id: 'e-2', type: 'onboarding.completed', unit: 'u1' },
      { id: 'e-3', type: 'onboarding.completed', unit: 'u2' },
      { id: 'e-4', type: 42 },
    ];
    const send = () => t.api('POST', '/v1/events', { events }, t.key('server'));
    expect((await send()).body).toMatchObject({ accepted: 3, duplicates: 0 });
    expect((await send()).body).toMatchObject({ accepted: 0, duplicates: 3 });
    const socket = await StreamClient.connect(t.url, t.key('client'));
    sockets.push(socket);
    const batchId = '0198c2a4-5b6e-7c00-8000-000000000001';
    const more = [{ id: 'e-5', type: 'onboarding.completed', unit: 'u3' }];
    socket.send({ type: 'events', batchId, events: more });
    expect(await socket.next((m) => m.type === 'ack')).toMatchObject({ accepted: 1 });

    expect(await sample('switchyard_ingested_events_total', { outcome: 'accepted' })).toBe(4);
    expect(await sample('switchyard_ingested_events_total', { outcome: 'duplicate' })).toBe(3);
    expect(await sample('switchyard_ingested_events_total', { outcome: 'rejected' })).toBe(2);
  });

  it('gauges live sockets per environment and key kind, and counts broadcasts and slow consumers', async () => {
    await start({ analysis: false, realtime: { maxBufferedBytes: 64 * 1024 } });
    const connect = async (kind: 'server' | 'client', environment = 'development') => {
      const socket = await StreamClient.connect(t.url, t.key(kind, environment));
      sockets.push(socket);
      return socket;
    };
    const slow = await connect('server');
    await connect('client');
    const leaving = await connect('client');
    await connect('server', 'production');
    const live = (environment: string, key_kind: string) =>
      sample('switchyard_sync_sockets', { environment, key_kind });
    expect(await live('development', 'server')).toBe(1);
    expect(await live('development', 'client')).toBe(2);
    expect(await live('production', 'server')).toBe(1);
    await leaving.close();
    await eventually(async () => (await live('development', 'client')) === 1);

    // One step, written as a delta to the development server socket and client socket.
    const flag = await t.server.$.FeatureFlag.create({ key: 'banner' });
    await slow.next((m) => m.type === 'delta');
    const broadcasts = await sample('switchyard_sync_broadcasts_total', {
      environment: 'development',
    });
    expect(broadcasts).toBe(1);
    expect(await sample('switchyard_sync_broadcast_frames_total', { frame: 'delta' })).toBe(2);
    expect(await sample('switchyard_sync_broadcast_frames_total', { frame: 'snapshot' })).toBe(0);

    // The server socket stops reading: its buffers fill until the hub closes it.
    (slow.socket as unknown as { _socket: Duplex })._socket.pause();
    const big = 'x'.repeat(50_000);
    for (let i = 0; i < 400 && t.server.realtime.hub.liveSockets('development') === 2; i++) {
      const rule = { description: `${i}${big}`, condition: {}, variant: 'on' };
      await t.server.$.FeatureFlag.update({ id: flag.$id, rules: [rule] });
    }
    (slow.socket as unknown as { _socket: Duplex })._socket.resume();
    expect((await slow.closed).code).toBe(CloseCodes.slowConsumer);
    expect(
      await sample('switchyard_sync_slow_consumer_drops_total', {
        environment: 'development',
        key_kind: 'server',
      }),
    ).toBe(1);
    expect(await live('development', 'server')).toBeUndefined();
  });

  it('counts after-hook failures, the last attempt apart', async () => {
    await start({ analysis: false, hookRetry: { attempts: 2, baseMs: 5, maxMs: 5 } });
    t.server.$.Segment.created(() => {
      throw new Error('downstream is down');
    });
    await t.server.$.Segment.create({ key: 'beta', condition: {} });
    const failures = (final: string) =>
      sample('switchyard_hook_failures_total', { hook: 'Segment.created', final });
    for (let i = 0; i < 100 && (await failures('true')) === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await failures('false')).toBe(1);
    expect(await failures('true')).toBe(1);
  });
});
