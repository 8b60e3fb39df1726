import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPOSURE_EVENT, uuidv7 } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from './support/server-process';

const CLIENTS = 10;
const EVENTS_PER_CLIENT = 10_000;
const BATCH = 500;
const UNITS_PER_CLIENT = 100;

let dir: string;
let server: ServerProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-crash-'));
  server = await ServerProcess.start(join(dir, 'switchyard.db'));
});
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Deliveries that failed and were sent again. */
let retries = 0;

/** Sends a batch until the server acknowledges it; any failure (refused, reset, 5xx) is retried. */
async function deliver(key: string, batchId: string, events: unknown[]): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batchId, events }),
      });
      if (response.status === 200) {
        const ack = (await response.json()) as { accepted: number; rejected: unknown[] };
        expect(ack.rejected).toEqual([]);
        return ack.accepted;
      }
      await response.body?.cancel();
    } catch {
      // The server is down: try again shortly, with the same batch and ids.
    }
    retries++;
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
}

describe('kill -9 during ingestion', () => {
  it('counts exactly 100,000 events, none twice, across crashes and retried batches', async () => {
    const key = await server.key('server');
    await server.ok('POST', '/v1/metrics', { name: 'ticks', kind: 'count', event: 'tick' });
    const experiment = (
      await server.ok('POST', '/v1/experiments', {
        name: 'Crash test',
        variants: [
          { key: 'control', weight: 50 },
          { key: 'treatment', weight: 50 },
        ],
        metric: 'ticks',
      })
    ).$id as string;
    await server.ok('POST', `/v1/experiments/${experiment}/start`, {});

    // Each client's batches, made once: a retry resends the same batch id and event ids.
    const now = Date.now();
    const plans = Array.from({ length: CLIENTS }, (_, c) => {
      const units = Array.from({ length: UNITS_PER_CLIENT }, (_, u) => `c${c}-u${u}`);
      const exposures = units.map((unit, u) => ({
        id: uuidv7(now, randomBytes(10)),
        type: EXPOSURE_EVENT,
        unit,
        properties: { experiment, variant: u % 2 ? 'treatment' : 'control' },
      }));
      const batches: unknown[][] = [];
      for (let b = 0; b < EVENTS_PER_CLIENT / BATCH; b++) {
        batches.push(
          Array.from({ length: BATCH }, (_, i) => ({
            id: uuidv7(now + b, randomBytes(10)),
            type: 'tick',
            unit: units[(b * BATCH + i) % units.length],
          })),
        );
      }
      return { exposures, batches };
    });

    let acked = 0;
    const clients = plans.map(async (plan, c) => {
      await deliver(key, `c${c}-exposures`, plan.exposures);
      for (const [b, events] of plan.batches.entries()) {
        await deliver(key, `c${c}-b${b}`, events);
        acked += events.length;
      }
    });
    // Two crashes while the clients send: at a third and at two thirds of the events.
    const crashes = (async () => {
      for (const share of [1 / 3, 2 / 3]) {
        while (acked < share * CLIENTS * EVENTS_PER_CLIENT) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await server.kill();
        await server.start();
      }
    })();
    await Promise.all([...clients, crashes]);
    // The crashes cut requests in flight: those batches were sent again.
    expect(retries).toBeGreaterThan(0);

    const results = await server.ok('GET', `/v1/experiments/${experiment}/results`);
    expect(results.totalUnits).toBe(CLIENTS * UNITS_PER_CLIENT);
    const counted = (results.variants as { mean: number; units: number }[]).reduce(
      (sum, v) => sum + Math.round(v.mean * v.units),
      0,
    );
    expect(counted).toBe(CLIENTS * EVENTS_PER_CLIENT);
    // Every batch again: all duplicates now.
    const again = await deliver(key, 'c0-b0', plans[0]!.batches[0]!);
    expect(again).toBe(0);
  });
});
