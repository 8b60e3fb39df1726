import { fileURLToPath } from 'node:url';
import { unitOf } from '@switchyard/core';
import type { EvaluationContext, JsonValue } from '@switchyard/core';
import type { ConfigSnapshot } from '@switchyard/core/schema';
import { createClient } from '@switchyard/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../support/bundle';
import { requireChromium } from '../support/chromium';
import { modulePage, servePage } from '../support/page-server';
import { startSwitchyard } from '../support/switchyard-server';
import type { RunningServer } from '../support/switchyard-server';
import { codeUnitDigest, generateUnits, scriptsIn } from '../support/units';
import type { UnitScript } from '../support/units';
import { createAgreementConfig } from './agreement-config';
import type { AgreementConfig } from './agreement-config';
import type { PageRequest, PageResult } from './page/agreement-page';
import { encodeReadings, readThrough } from './readings';
import type { ReadingPlan, UnitReadings } from './readings';

const SEED = 0x5eed_2026;
const COUNT = 10_000;
/** Contexts per `POST /v1/evaluate`, and requests in flight at once. */
const BATCH = 200;
const IN_FLIGHT = 4;

interface EvaluateAnswer {
  version: number;
  results: (UnitReadings & { experiments: Record<string, { unit?: string }> })[];
}

/** The readings of every unit on one path: the client view's plan, and the serverOnly flags. */
interface PathRows {
  rows: string[];
  serverOnly: string[];
  ms: number;
}

let sy: RunningServer;
let config: AgreementConfig;
let serverOnlyPlan: ReadingPlan;
let units: EvaluationContext[];
let version: number;
let onServer: PathRows & { changedIds: number[] };
let inNode: PathRows & { transport: string };
/** Filled in by the tests, printed as one line at the end. */
const summary = { units: '', paths: [] as string[], browser: 'browser not run' };

const defaultsOf = (plan: ReadingPlan) =>
  Object.fromEntries(plan.flags.map((f) => [f.key, f.defaultValue])) as Record<string, JsonValue>;

/** Every unit through `POST /v1/evaluate` with the server key, in batches. */
async function evaluateOnServer(): Promise<
  PathRows & { versions: Set<number>; changedIds: number[] }
> {
  const started = performance.now();
  const all: ReadingPlan = {
    flags: [...config.plan.flags, ...serverOnlyPlan.flags],
    experiments: config.plan.experiments,
  };
  const batches: EvaluationContext[][] = [];
  for (let i = 0; i < units.length; i += BATCH) batches.push(units.slice(i, i + BATCH));
  const answers: EvaluateAnswer[] = new Array(batches.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      answers[index] = await sy.request<EvaluateAnswer>('POST', '/v1/evaluate', sy.key('server'), {
        contexts: batches[index],
        flags: all.flags.map((f) => f.key),
        experiments: all.experiments,
        defaults: defaultsOf(all),
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const results = answers.flatMap((a) => a.results);
  // The running experiment echoes the unit it bucketed, so we see the ids arrive as sent.
  const running = config.plan.experiments[0]!;
  const changedIds = results.flatMap((r, i) =>
    r.experiments[running]?.unit === unitOf(units[i]!, 'userId') ? [] : [i],
  );
  return {
    changedIds,
    rows: results.map((r) => encodeReadings(config.plan, r)),
    serverOnly: results.map((r) => encodeReadings(serverOnlyPlan, r)),
    ms: performance.now() - started,
    versions: new Set(answers.map((a) => a.version)),
  };
}

/**
 * Every unit through sdk-node's client with the server key, synced live: over the sync stream,
 * or by HTTP (`GET /v1/config`) where the server has no stream.
 */
async function evaluateInNode(): Promise<
  PathRows & { version: number | undefined; transport: string }
> {
  const client = createClient({
    url: sy.url,
    key: sy.key('server'),
    transport: 'auto',
    reconnect: { baseMs: 50, maxMs: 200 },
    pollAfterFailures: 1,
    exposures: false,
  });
  try {
    await client.ready({ timeoutMs: 10_000 });
    const started = performance.now();
    const rows = units.map((u) => encodeReadings(config.plan, readThrough(client, config.plan, u)));
    const serverOnly = units.map((u) =>
      encodeReadings(serverOnlyPlan, readThrough(client, serverOnlyPlan, u)),
    );
    return {
      rows,
      serverOnly,
      ms: performance.now() - started,
      version: client.snapshot?.version,
      transport: client.sync?.live ? 'WebSocket' : 'HTTP polling',
    };
  } finally {
    await client.close({ timeoutMs: 1000 });
  }
}

/** The units whose rows differ, described for a failure message (at most `limit`). */
function disagreements(a: string[], b: string[], names: [string, string], limit = 5): string[] {
  const out: string[] = [];
  let count = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    count++;
    if (out.length < limit) {
      out.push(
        `unit #${i} ${JSON.stringify(units[i])}\n  ${names[0]}: ${a[i]}\n  ${names[1]}: ${b[i]}`,
      );
    }
  }
  if (count > limit) out.push(`... ${count - limit} more of ${count}`);
  return out;
}

beforeAll(async () => {
  sy = await startSwitchyard();
  config = await createAgreementConfig(sy.server.$);
  serverOnlyPlan = { flags: config.serverOnly, experiments: [] };
  units = generateUnits(SEED, COUNT);
  const server = await evaluateOnServer();
  expect([...server.versions]).toHaveLength(1);
  version = [...server.versions][0]!;
  onServer = server;
  const node = await evaluateInNode();
  expect(node.version).toBe(version);
  inNode = node;
});

afterAll(async () => {
  await sy?.close();
  const reads = config
    ? `${config.plan.flags.length} flags + ${config.plan.experiments.length} experiments, ` +
      `${config.serverOnly.length} serverOnly flag on server and Node only`
    : '';
  console.log(
    `agreement: ${summary.paths.join(', ') || 'no path'} agree on every unit at config version ${version} ` +
      `(${reads}); ${summary.browser}; ${summary.units}`,
  );
});

describe('a unit gets the same variant in the browser, in Node and on the server', () => {
  it('draws 10,000 units across scripts, lone surrogates included', () => {
    const scripts = new Map<UnitScript, number>();
    let numeric = 0;
    let missing = 0;
    for (const unit of units) {
      if (typeof unit.userId === 'number') numeric++;
      if (unit.userId === undefined) missing++;
      if (typeof unit.userId !== 'string') continue;
      for (const s of scriptsIn(unit.userId)) scripts.set(s, (scripts.get(s) ?? 0) + 1);
    }
    expect(new Set(units.map((u) => u.userId)).size).toBe(COUNT - missing + (missing > 0 ? 1 : 0));
    for (const s of ['latin', 'cjk', 'emoji', 'combining', 'rtl'] as const) {
      expect(scripts.get(s) ?? 0).toBeGreaterThan(500);
    }
    expect(scripts.get('lone') ?? 0).toBeGreaterThan(50);
    expect(numeric).toBeGreaterThan(30);
    expect(missing).toBeGreaterThan(10);
    const mixed = [...scripts].map(([s, n]) => `${s} ${n}`).join(', ');
    summary.units = `${COUNT} units, ids with ${mixed}, numeric ${numeric}, none ${missing}`;
  });

  it('exercises every rule kind: the readings are not all alike', () => {
    const flags = config.plan.flags.length;
    // Per column, how often each outcome came: [value, variant] of a flag, the variant of an experiment.
    const seen = Array.from(
      { length: flags + config.plan.experiments.length },
      () => new Map<string, number>(),
    );
    for (const row of onServer.rows) {
      (JSON.parse(row) as unknown[][]).forEach((cell, c) => {
        const key = JSON.stringify(c < flags ? cell.slice(0, 2) : cell[0]);
        seen[c]!.set(key, (seen[c]!.get(key) ?? 0) + 1);
      });
    }
    const share = (c: number, outcome: unknown) =>
      (seen[c]!.get(JSON.stringify(outcome)) ?? 0) / COUNT;
    const outcomes = (c: number) => [...seen[c]!.keys()].map((k) => JSON.parse(k) as unknown);
    expect(share(0, [true, 'on'])).toBeGreaterThan(0.33); // new-checkout at 37%
    expect(share(0, [true, 'on'])).toBeLessThan(0.41);
    // pricing-page serves all three, and never the U+FFFD probe (no id holds U+FFFD itself).
    expect(
      outcomes(1)
        .map((o) => (o as string[])[1])
        .sort(),
    ).toEqual(['annual-first', 'classic', 'tiered']);
    expect(outcomes(2)).toHaveLength(3); // discount-percent
    expect(outcomes(3)).toHaveLength(3); // checkout-flow, through the experiment
    expect(share(4, ['short-form', 'short-form'])).toBeGreaterThan(0.26); // the winner at 30%
    expect(share(4, ['short-form', 'short-form'])).toBeLessThan(0.34);
    expect(outcomes(5)).toHaveLength(2); // beta-banner
    expect(outcomes(flags).sort()).toEqual(['control', 'express', 'one-page', null].sort());
    expect(share(flags, null)).toBeGreaterThan(0.2); // the audience and 80% traffic leave some out
    expect(share(flags + 1, 'short-form')).toBe(1); // the concluded experiment serves its winner
  });

  it('agrees between the server (POST /v1/evaluate) and Node (sdk-node) for every unit', () => {
    // JSON.stringify sends a lone surrogate as \udXXX and JSON.parse restores it: no id changed.
    expect(onServer.changedIds.map((i) => units[i])).toEqual([]);
    expect(disagreements(onServer.rows, inNode.rows, ['server', 'node'])).toEqual([]);
    expect(disagreements(onServer.serverOnly, inNode.serverOnly, ['server', 'node'])).toEqual([]);
    summary.paths.push(
      `server (POST /v1/evaluate, ${Math.round(onServer.ms)} ms)`,
      `Node (sdk-node over ${inNode.transport}, ${Math.round(inNode.ms)} ms)`,
    );
  });

  it('agrees in Chromium (sdk-browser, client key config) for every unit', async (context) => {
    const chromium = await requireChromium('the browser agreement test');
    if (!chromium) {
      summary.browser = 'browser SKIPPED: no Chromium';
      context.skip();
      return;
    }
    const entry = fileURLToPath(new URL('./page/agreement-page.ts', import.meta.url));
    const page = await servePage(
      modulePage(await bundleForBrowser(entry), {
        '/config.json': {
          type: 'application/json; charset=utf-8',
          body: await sy.text('/v1/config', sy.key('client')),
        },
      }),
    );
    try {
      const tab = chromium.context.pages()[0] ?? (await chromium.context.newPage());
      await tab.goto(`${page.url}/`);
      await tab.waitForFunction(() => 'runAgreement' in globalThis);
      const request: PageRequest = {
        seed: SEED,
        count: COUNT,
        plan: config.plan,
        absent: config.serverOnly.map((f) => f.key),
      };
      // The request holds only ASCII keys and plain defaults: the units are built in the page.
      const result = await tab.evaluate<PageResult, unknown>(
        (r) =>
          (globalThis as unknown as { runAgreement(r: unknown): Promise<PageResult> }).runAgreement(
            r,
          ),
        request,
      );
      expect(result.digest).toBe(codeUnitDigest(units.map((u) => JSON.stringify(u))));
      expect(result.version).toBe(version);
      const clientView = (await sy.request<ConfigSnapshot>('GET', '/v1/config', sy.key('client')))
        .flags;
      expect(result.flagKeys.sort()).toEqual(Object.keys(clientView).sort());
      for (const key of request.absent) expect(result.absent[key]).toBe('FLAG_NOT_FOUND');
      expect(result.rows).toHaveLength(COUNT);
      expect(disagreements(onServer.rows, result.rows, ['server', 'browser'])).toEqual([]);
      summary.paths.push(
        `browser (sdk-browser in Chromium ${chromium.version}, ${Math.round(result.ms)} ms)`,
      );
      summary.browser = 'serverOnly flags absent in the browser';
    } finally {
      await page.close();
      await chromium.close();
    }
  });
});
