import { randomBytes } from 'node:crypto';
import { EXPOSURE_EVENT, uuidv7 } from '@switchyard/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResumingClient } from './support/resuming-client';
import { ServerProcess } from './support/server-process';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one statement on the test database server (not inside a transaction). */
async function admin(sql: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query(sql);
    return true;
  } catch (error) {
    if (process.env.CI) throw error;
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const database = `sy_scale_${randomBytes(5).toString('hex')}`;
const available = await admin(`CREATE DATABASE ${database}`);
if (!available)
  console.warn(`NOTICE: PostgreSQL does not answer at ${ADMIN_URL}; skipping scale-out.`);

let a: ServerProcess;
let b: ServerProcess;
const clients: ResumingClient[] = [];
beforeAll(async () => {
  if (!available) return;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  a = await ServerProcess.start(url.toString());
  b = await ServerProcess.start(url.toString(), a.adminKey);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await a?.stop();
  await b?.stop();
  if (available) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

describe.runIf(available)('two instances on one PostgreSQL', () => {
  it('pushes a change made through one instance to the SDKs connected to the other', async () => {
    const key = await a.key('server');
    const onA = new ResumingClient(a.url, key);
    const onB = new ResumingClient(b.url, key);
    clients.push(onA, onB);
    onA.start();
    onB.start();
    await onB.reach(0);

    const flag = {
      type: 'boolean',
      variants: [
        { key: 'on', value: true },
        { key: 'off', value: false },
      ],
      default: 'on',
      enabled: true,
    };
    const started = Date.now();
    const created = await a.ok('POST', '/v1/flags', { ...flag, key: 'made-on-a' });
    const version = (await a.ok('GET', '/v1/config', undefined, key)).version as number;
    await onB.reach(version, 5000);
    // NOTIFY, not the 2 s poll, carried it.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(onB.snapshot!.flags['made-on-a']).toBeDefined();

    // Changes through both instances, interleaved: everyone ends at the same config.
    for (let i = 0; i < 6; i++) {
      const via = i % 2 ? a : b;
      await via.ok('POST', `/v1/flags/${created.$id}/rollout`, { percent: i * 10 });
    }
    await b.ok('POST', '/v1/flags', { ...flag, key: 'made-on-b' });
    const fromA = await a.ok('GET', '/v1/config', undefined, key);
    const fromB = await b.ok('GET', '/v1/config', undefined, key);
    expect(fromB).toEqual(fromA);
    await onA.reach(fromA.version);
    await onB.reach(fromA.version);
    expect(onA.snapshot).toEqual(fromA);
    expect(onB.snapshot).toEqual(fromA);
    expect([...onA.problems, ...onB.problems]).toEqual([]);
  });

  it('counts events sent to either instance once, into the same aggregates', async () => {
    const key = await b.key('server');
    const experiment = (
      await a.ok('POST', '/v1/experiments', {
        name: 'Across instances',
        variants: [
          { key: 'control', weight: 50 },
          { key: 'treatment', weight: 50 },
        ],
        metric: 'signup',
      })
    ).$id as string;
    await a.ok('POST', `/v1/experiments/${experiment}/start`, {});
    const id = () => uuidv7(Date.now(), randomBytes(10));
    const exposures = Array.from({ length: 20 }, (_, i) => ({
      id: id(),
      type: EXPOSURE_EVENT,
      unit: `u${i}`,
      properties: { experiment, variant: i % 2 ? 'treatment' : 'control' },
    }));
    const signups = Array.from({ length: 10 }, (_, i) => ({
      id: id(),
      type: 'signup',
      unit: `u${i}`,
    }));
    // B may hear of the started experiment a moment after A committed it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await b.ok('POST', '/v1/events', { events: exposures }, key)).accepted).toBe(20);
    expect((await a.ok('POST', '/v1/events', { events: signups }, key)).accepted).toBe(10);
    // The same batch again, through the other instance: all duplicates.
    expect(await b.ok('POST', '/v1/events', { events: signups }, key)).toMatchObject({
      accepted: 0,
      duplicates: 10,
    });
    const results = await b.ok('GET', `/v1/experiments/${experiment}/results`);
    expect(results.totalUnits).toBe(20);
    expect(
      (results.variants as { conversions: number }[]).reduce((n, v) => n + v.conversions, 0),
    ).toBe(10);
  });
});
