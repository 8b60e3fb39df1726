import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisMonitor } from '../../src/analysis/analysis-monitor';
import { considerConclusion } from '../../src/analysis/auto-conclusion';
import type { Experiment } from '../../src/entities/experiment/schema';
import type { ServerOptions } from '../../src/server';
import type { TestServer } from '../support/server';
import { ONBOARDING } from '../support/switchyard';
import { settled as settledServer, startAnalysisServer } from './support/analysis-server';
import { experimentTraffic, ingest } from './support/traffic';

let t: TestServer;
afterEach(async () => {
  await t?.close();
});

async function start(options: ServerOptions = {}) {
  t = await startAnalysisServer(options);
  return t;
}

/** The seed's experiment, Running, with `extra` fields. */
async function seedExperiment(extra: Record<string, unknown> = {}): Promise<string> {
  const experiment = await t.server.$.Experiment.create({ ...ONBOARDING, ...extra });
  await t.server.$.Experiment.start({ id: experiment.$id });
  return experiment.$id;
}

const settled = () => settledServer(t);

const experimentOf = (id: string) => t.server.$.Experiment.get({ id }) as Promise<Experiment>;
const logOf = async (id: string) =>
  (await t.server.store.read((r) => r.readLog({ entityId: id, limit: 1000 }))).map((e) => [
    e.type,
    e.actor,
  ]);

describe('auto-conclusion', () => {
  it('concludes through Experiment.conclude once the target is reached and the sequential test is significant, and the hook fires once', async () => {
    await start();
    const concluded: Experiment[] = [];
    t.server.$.Experiment.concluded((experiment) => void concluded.push(experiment));
    const id = await seedExperiment();

    // 10% against 20%, but 800 units of the 1,000 the experiment plans for: not yet.
    await ingest(
      t,
      experimentTraffic(id, [
        { variant: 'control', units: 400, converted: 40 },
        { variant: 'simplified', units: 400, converted: 80 },
      ]),
    );
    await settled();
    expect((await experimentOf(id)).status).toBe('Running');

    await ingest(
      t,
      experimentTraffic(
        id,
        [
          { variant: 'control', units: 600, converted: 60 },
          { variant: 'simplified', units: 600, converted: 120 },
        ],
        'onboarding.completed',
        'later',
      ),
    );
    await settled();
    const experiment = await experimentOf(id);
    expect(experiment).toMatchObject({ status: 'Concluded', winner: 'simplified' });
    expect(experiment.confidence).toBeGreaterThan(0.95);
    expect(experiment.lift).toBeCloseTo(1, 6);
    expect(concluded.map((e) => e.winner)).toEqual(['simplified']);

    // Later looks, a sweep and a direct analysis leave it alone.
    await t.server.analysis!.sweep();
    expect(await considerConclusion(t.server.switchyard, 'development', id)).toEqual({
      kind: 'skipped',
    });
    expect(concluded).toHaveLength(1);
    expect(await logOf(id)).toEqual([
      ['experiment.created', 'system'],
      ['experiment.started', 'system'],
      ['experiment.concluded', 'system:auto-conclude'],
    ]);
  });

  it('does not conclude on A/A data, however often it looks', async () => {
    await start();
    const id = await seedExperiment();
    for (const prefix of ['a', 'b', 'c']) {
      await ingest(
        t,
        experimentTraffic(
          id,
          [
            { variant: 'control', units: 500, converted: 60 },
            { variant: 'simplified', units: 500, converted: 60 },
          ],
          'onboarding.completed',
          prefix,
        ),
      );
      await settled();
      await t.server.analysis!.sweep();
    }
    const outcome = await considerConclusion(t.server.switchyard, 'development', id);
    expect(outcome).toMatchObject({ kind: 'waiting', reason: 'not-significant' });
    expect((await experimentOf(id)).status).toBe('Running');
  });

  it('blocks on a sample-ratio mismatch and logs experiment.srm_detected once, until it clears', async () => {
    await start();
    const id = await seedExperiment();
    // A 65/35 split of a 50/50 experiment, with a lift that would otherwise conclude it.
    await ingest(
      t,
      experimentTraffic(id, [
        { variant: 'control', units: 1300, converted: 130 },
        { variant: 'simplified', units: 700, converted: 140 },
      ]),
    );
    await settled();
    await t.server.analysis!.sweep();
    await t.server.analysis!.sweep();
    expect((await experimentOf(id)).status).toBe('Running');
    expect(await considerConclusion(t.server.switchyard, 'development', id)).toMatchObject({
      kind: 'waiting',
      reason: 'srm',
    });
    const detected = await t.server.store.read((r) =>
      r.readLog({ entityId: id, types: ['experiment.srm_detected'] }),
    );
    expect(detected).toHaveLength(1);
    // Seen at the first look that showed it (after the first commit), and not logged again.
    const { units, pValue } = detected[0]!.payload as {
      units: { control: number; simplified: number };
      pValue: number;
    };
    expect(units.control / (units.control + units.simplified)).toBeCloseTo(0.65, 1);
    expect(pValue).toBeLessThan(0.001);

    // The missing units arrive: the mismatch clears, then the experiment concludes.
    await ingest(
      t,
      experimentTraffic(
        id,
        [{ variant: 'simplified', units: 600, converted: 120 }],
        'onboarding.completed',
        'late',
      ),
    );
    await settled();
    expect(await logOf(id)).toEqual([
      ['experiment.created', 'system'],
      ['experiment.started', 'system'],
      ['experiment.srm_detected', 'system:analysis'],
      ['experiment.srm_cleared', 'system:analysis'],
      ['experiment.concluded', 'system:auto-conclude'],
    ]);
  });

  it('leaves the conclusion to people when autoConclude is off, and manual conclude still works', async () => {
    await start();
    const id = await seedExperiment({ autoConclude: false });
    const auto = await seedExperiment();
    for (const experiment of [id, auto]) {
      await ingest(
        t,
        experimentTraffic(
          experiment,
          [
            { variant: 'control', units: 600, converted: 60 },
            { variant: 'simplified', units: 600, converted: 120 },
          ],
          'onboarding.completed',
          experiment,
        ),
      );
    }
    await settled();
    expect((await experimentOf(id)).status).toBe('Running');
    expect((await experimentOf(auto)).status).toBe('Concluded');
    const manual = await t.api('POST', `/v1/experiments/${id}/conclude`, {
      winner: 'control',
      confidence: 0.5,
    });
    expect(manual.status).toBe(200);
    expect(manual.body).toMatchObject({ status: 'Concluded', winner: 'control' });
    // A concluded experiment is not looked at again, and the results still answer.
    await t.server.analysis!.sweep();
    expect((await experimentOf(id)).winner).toBe('control');
    const results = await t.api('GET', `/v1/experiments/${id}/results`);
    expect(results.body).toMatchObject({ status: 'Concluded', autoConclude: false });
    expect(results.body.decision).toMatchObject({ significant: true, winner: 'simplified' });
  });

  it('concludes once when several instances look at the same moment (the others lose quietly)', async () => {
    await start();
    const concluded: string[] = [];
    t.server.$.Experiment.concluded((experiment) => void concluded.push(experiment.$id));
    const id = await seedExperiment();
    const other = new AnalysisMonitor(t.server.switchyard, { timer: false });
    await t.server.analysis!.close();
    await ingest(
      t,
      experimentTraffic(id, [
        { variant: 'control', units: 600, converted: 60 },
        { variant: 'simplified', units: 600, converted: 130 },
      ]),
    );
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => considerConclusion(t.server.switchyard, 'development', id)),
    );
    await other.analyze('development', id);
    const kinds = outcomes.map((o) => o.kind).sort();
    expect(kinds.filter((k) => k === 'concluded')).toHaveLength(1);
    expect(kinds.every((k) => ['concluded', 'lost', 'skipped'].includes(k))).toBe(true);
    expect(concluded).toEqual([id]);
    const log = await t.server.store.read((r) =>
      r.readLog({ entityId: id, types: ['experiment.concluded'] }),
    );
    expect(log).toHaveLength(1);
    await other.close();
  });

  it('analyses an experiment at most once per minIntervalMs, however many commits arrive', async () => {
    await start({ analysis: { minIntervalMs: 150, timer: false } });
    const id = await seedExperiment({ targetSampleSize: 1_000_000 });
    const analysed: number[] = [];
    const monitor = new AnalysisMonitor(t.server.switchyard, {
      minIntervalMs: 150,
      timer: false,
      onConclusion: () => void analysed.push(Date.now()),
    });
    monitor.start(t.server.realtime.ingestor);
    const started = Date.now();
    for (let i = 0; i < 12; i++) {
      await ingest(
        t,
        experimentTraffic(
          id,
          [
            { variant: 'control', units: 5, converted: 1 },
            { variant: 'simplified', units: 5, converted: 1 },
          ],
          'onboarding.completed',
          `burst${i}`,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await monitor.idle();
    const elapsed = Date.now() - started;
    expect(analysed.length).toBeGreaterThanOrEqual(2);
    expect(analysed.length).toBeLessThanOrEqual(Math.ceil(elapsed / 150) + 1);
    for (let i = 1; i < analysed.length; i++) {
      expect(analysed[i]! - analysed[i - 1]!).toBeGreaterThanOrEqual(140);
    }
    await monitor.close();
  });
});
