import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagement } from '../src';
import { startChild } from './support/child';
import type { Child } from './support/child';
import { ADMIN_KEY } from './support/real-server';

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

// Two processes, as a user runs them: `switchyard serve` on a SQLite file, and the example with
// SWITCHYARD_URL and SWITCHYARD_ADMIN_KEY (what `pnpm start` and `pnpm example` run).
describe('examples/experiment-to-rollout.ts', () => {
  let dir: string;
  let server: Child;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'example-'));
    server = startChild(
      'packages/server/bin/switchyard.mjs',
      { SWITCHYARD_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'silent' },
      ROOT,
      ['serve', '--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'switchyard.db')],
    );
    const serving = await server.line((l) => String(l.text).startsWith('Switchyard serving'));
    url = /(http:\/\/\S+)/.exec(String(serving.text))![1]!;
  }, 20_000);
  afterAll(async () => {
    server.process.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the seed against switchyard serve and leaves the seed’s events in the domain log, in order', async () => {
    const environment = 'example-test';
    const example = startChild(
      'examples/experiment-to-rollout.ts',
      { SWITCHYARD_URL: url, SWITCHYARD_ADMIN_KEY: ADMIN_KEY, SWITCHYARD_ENVIRONMENT: environment },
      ROOT,
    );
    const code = await example.exited;
    expect(code, example.stderr()).toBe(0);
    const printed = example.lines.map((l) => String(l.text ?? JSON.stringify(l)));
    expect(printed[0]).toBe(`environment ${environment}`);
    expect(printed.at(-1)).toBe('recorded experiments.concluded = 1');

    const $ = createManagement({ url, adminKey: ADMIN_KEY });
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

    // A second run against the same server works in an environment of its own.
    const again = startChild(
      'examples/experiment-to-rollout.ts',
      { SWITCHYARD_URL: url, SWITCHYARD_ADMIN_KEY: ADMIN_KEY },
      ROOT,
    );
    expect(await again.exited, again.stderr()).toBe(0);
    expect(String(again.lines[0]?.text)).toMatch(/^environment example-[0-9a-z]+$/);
  }, 30_000);
});
