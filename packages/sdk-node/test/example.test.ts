import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagement } from '../src';
import { startChild } from './support/child';
import { ADMIN_KEY, startRealServer } from './support/real-server';
import type { RealServer } from './support/real-server';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The domain events of the seed, in order, as DESIGN.md lists them (and the workflow's and metric's). */
const SEED_LOG = [
  'experiment.created',
  'experiment.started',
  'event.created',
  'experiment.concluded',
  'featureflag.created',
  'featureflag.enabled',
  'featureflag.rolledout',
  'workflow.created',
  'metric.recorded',
];

describe('examples/experiment-to-rollout.ts', () => {
  let real: RealServer;
  beforeAll(async () => {
    real = await startRealServer();
  });
  afterAll(() => real.close());

  it('runs the seed against a server and leaves the seed’s events in the domain log, in order', async () => {
    const environment = 'example-test';
    const example = startChild(
      'examples/experiment-to-rollout.ts',
      {
        SWITCHYARD_URL: real.url,
        SWITCHYARD_ADMIN_KEY: ADMIN_KEY,
        SWITCHYARD_ENVIRONMENT: environment,
      },
      ROOT,
    );
    const code = await example.exited;
    expect(code, example.stderr()).toBe(0);
    const printed = example.lines.map((l) => String(l.text ?? JSON.stringify(l)));
    expect(printed[0]).toBe(`environment ${environment}`);
    expect(printed.at(-1)).toBe('recorded experiments.concluded = 1');

    const $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
    const log = await $.log({ environment });
    expect(log.data.map((e) => e.type).slice(0, SEED_LOG.length)).toEqual(SEED_LOG);
    const [created, started, event, concluded, flagCreated, enabled, rolledout] = log.data;
    const flag = await $.env(environment).FeatureFlag.get('onboarding-v2');
    expect(created!.payload).toEqual({ $id: created!.entityId, variants: 2 });
    expect(started!.payload).toEqual({ status: 'Running' });
    expect(event!.payload).toEqual({ type: 'onboarding.completed', variant: 'simplified' });
    expect(concluded!.payload).toEqual({ winner: 'simplified', confidence: 0.97 });
    expect(flagCreated!.payload).toEqual({ key: 'onboarding-v2', rolloutPercent: 10 });
    expect(enabled!.payload).toEqual({ $id: flag.$id });
    expect(rolledout!.payload).toEqual({ percent: 50 });
    expect(flag).toMatchObject({ enabled: true, rolloutPercent: 50, variant: 'simplified' });
    expect(printed).toContain(`hook made ${flag.$id}: enabled at 10%`);
  }, 30_000);
});
