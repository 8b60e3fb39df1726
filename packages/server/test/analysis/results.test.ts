import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server';
import { startServer } from '../support/server';
import { ONBOARDING } from '../support/switchyard';
import { experimentTraffic, ingest } from './support/traffic';
import type { SdkEvent } from './support/traffic';

let t: TestServer;
afterEach(async () => {
  await t?.close();
});

async function start() {
  // No analysis of its own: every look in these tests is a GET.
  t = await startServer({ webhooks: false, scheduler: false, analysis: false });
  const $ = t.server.$;
  await $.Metric.define({
    name: 'activation_rate',
    kind: 'conversion',
    event: 'onboarding.completed',
  });
  await $.Metric.define({
    name: 'onboarding_time',
    kind: 'mean',
    event: 'onboarding.completed',
    property: 'duration',
    higherIsBetter: false,
  });
  await $.Metric.define({ name: 'pages', kind: 'count', event: 'page.viewed' });
}

async function running(extra: Record<string, unknown> = {}): Promise<string> {
  const experiment = await t.server.$.Experiment.create({ ...ONBOARDING, ...extra });
  await t.server.$.Experiment.start({ id: experiment.$id });
  return experiment.$id;
}

const results = async (id: string, query = '') => {
  const answer = await t.api('GET', `/v1/experiments/${id}/results${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
};

describe('GET /v1/experiments/:id/results', () => {
  it('answers the primary metric and each secondary one, or only the metric asked for', async () => {
    await start();
    const id = await running({ secondaryMetrics: ['onboarding_time', 'pages'] });
    const events: SdkEvent[] = [];
    for (const [variant, duration] of [
      ['control', 60],
      ['simplified', 40],
    ] as const) {
      for (let i = 0; i < 4; i++) {
        const unit = `${variant}-${i}`;
        events.push({
          id: `x-${unit}`,
          type: '$exposure',
          unit,
          properties: { experiment: id, variant },
        });
        // Units 0 and 1 complete onboarding (unit 0 twice), units 0–2 view pages.
        if (i < 2) {
          events.push({
            id: `c-${unit}`,
            type: 'onboarding.completed',
            unit,
            properties: { duration: duration + i * 10 },
          });
        }
        if (i === 0) {
          events.push({
            id: `c2-${unit}`,
            type: 'onboarding.completed',
            unit,
            properties: { duration: duration + 20 },
          });
        }
        for (let p = 0; p <= 2 - i; p++)
          events.push({ id: `p-${unit}-${p}`, type: 'page.viewed', unit });
      }
    }
    await ingest(t, events);

    const all = await results(id);
    expect(all).toMatchObject({
      experiment: id,
      metricName: 'activation_rate',
      metric: 'conversion',
      status: 'Running',
      autoConclude: true,
      totalUnits: 8,
      targetSampleSize: 1000,
      progress: 0.008,
    });
    const rate = Object.fromEntries(all.variants.map((v: { key: string }) => [v.key, v]));
    expect(rate.control).toMatchObject({ units: 4, conversions: 2, mean: 0.5, isControl: true });
    expect(rate.simplified.comparison.sequential).toHaveProperty('pValue');
    expect(all.secondary.map((s: { metricName: string }) => s.metricName)).toEqual([
      'onboarding_time',
      'pages',
    ]);
    const [time, pages] = all.secondary;
    // Means of per-unit means: control's unit 0 completed twice (60, 80), unit 1 once (70).
    const timeByKey = Object.fromEntries(time.variants.map((v: { key: string }) => [v.key, v]));
    expect(time).toMatchObject({ metric: 'mean', higherIsBetter: false });
    expect(timeByKey.control).toMatchObject({ units: 2, mean: (70 + 70) / 2 });
    expect(timeByKey.simplified).toMatchObject({ units: 2, mean: (50 + 50) / 2 });
    const pagesByKey = Object.fromEntries(pages.variants.map((v: { key: string }) => [v.key, v]));
    expect(pagesByKey.control).toMatchObject({ units: 4, mean: (3 + 2 + 1 + 0) / 4 });

    const one = await results(id, '?metric=pages');
    expect(one.metricName).toBe('pages');
    expect(one.secondary).toBeUndefined();
  });

  it('flags degenerate inputs instead of inventing numbers', async () => {
    await start();
    const id = await running();
    const empty = await results(id);
    expect(empty.totalUnits).toBe(0);
    for (const v of empty.variants) {
      expect(v.flags).toContain('no-units');
      expect(v.mean).toBeNull();
    }
    const treatment = empty.variants.find((v: { key: string }) => v.key === 'simplified');
    expect(treatment.comparison.pValue).toBeNull();
    expect(treatment.comparison.sequential.pValue).toBeNull();
    expect(treatment.comparison.flags).toContain('insufficient-data');

    // Nobody converts in control: no relative lift, flagged, and still no NaN anywhere.
    await ingest(
      t,
      experimentTraffic(id, [
        { variant: 'control', units: 50, converted: 0 },
        { variant: 'simplified', units: 50, converted: 10 },
      ]),
    );
    const zero = await results(id);
    const text = JSON.stringify(zero);
    expect(text).not.toMatch(/NaN|Infinity/);
    const lifted = zero.variants.find((v: { key: string }) => v.key === 'simplified');
    expect(lifted.comparison.relativeLift.estimate).toBeNull();
    expect(lifted.comparison.flags).toContain('zero-baseline');
  });

  it('reports the always-valid p-value as a running minimum across looks, and stores it', async () => {
    await start();
    const id = await running({ targetSampleSize: 20_000 });
    await ingest(
      t,
      experimentTraffic(id, [
        { variant: 'control', units: 300, converted: 30 },
        { variant: 'simplified', units: 300, converted: 60 },
      ]),
    );
    const first = (await results(id)).variants[1].comparison;
    // Many more units with no difference: the current evidence weakens.
    await ingest(
      t,
      experimentTraffic(
        id,
        [
          { variant: 'control', units: 1500, converted: 300 },
          { variant: 'simplified', units: 1500, converted: 300 },
        ],
        'onboarding.completed',
        'later',
      ),
    );
    const second = (await results(id)).variants[1].comparison;
    expect(second.pValue).toBeGreaterThan(first.pValue);
    expect(second.sequential.pValue).toBe(first.sequential.pValue);
    const stored = await t.server.store.read((r) => r.analysis.sequentialLooks(id));
    expect(stored).toEqual([
      {
        experiment: id,
        metric: 'activation_rate',
        variant: 'simplified',
        pValue: first.sequential.pValue,
      },
    ]);
  });
});

describe('sample size', () => {
  it('suggests a targetSampleSize from baseline, effect, alpha and power (POST and GET)', async () => {
    await start();
    const posted = await t.api('POST', '/v1/experiments/sample-size', {
      baseline: 0.1,
      minimumDetectableEffect: 0.2,
    });
    expect(posted.status).toBe(200);
    // Fleiss without continuity correction: 3,841 per arm for 10% → 12% at α 0.05, power 0.8.
    expect(posted.body).toMatchObject({
      targetSampleSize: 7682,
      perVariant: [3841, 3841],
      flags: [],
      input: { metric: 'conversion', alpha: 0.05, power: 0.8, effectType: 'relative' },
    });
    const got = await t.api(
      'GET',
      '/v1/experiments/sample-size?baseline=0.1&minimumDetectableEffect=0.02&effectType=absolute',
    );
    expect(got.body.targetSampleSize).toBe(7682);
    const stricter = await t.api('POST', '/v1/experiments/sample-size', {
      baseline: 0.1,
      minimumDetectableEffect: 0.2,
      alpha: 0.01,
      power: 0.9,
    });
    expect(stricter.body.targetSampleSize).toBeGreaterThan(7682);
  });

  it('refuses what it cannot answer, and flags an effect out of range', async () => {
    await start();
    const refused = await t.api('POST', '/v1/experiments/sample-size', { baseline: 0.1 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0].path).toEqual(['minimumDetectableEffect']);
    const mean = await t.api('POST', '/v1/experiments/sample-size', {
      metric: 'mean',
      baseline: 40,
      minimumDetectableEffect: 0.1,
    });
    expect(mean.status).toBe(400);
    expect(mean.body.error.issues[0].path).toEqual(['standardDeviation']);
    const past = await t.api('POST', '/v1/experiments/sample-size', {
      baseline: 0.9,
      minimumDetectableEffect: 0.2,
    });
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ targetSampleSize: null, flags: ['effect-out-of-range'] });
    const key = await t.api(
      'POST',
      '/v1/experiments/sample-size',
      { baseline: 0.1, minimumDetectableEffect: 0.2 },
      t.key('server'),
    );
    expect(key.status).toBe(403);
  });
});
