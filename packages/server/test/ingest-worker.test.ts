import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EXPOSURE_EVENT, uuidv7 } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Experiment } from '../src/entities/experiment/schema';
import type { Metric } from '../src/entities/metric/schema';
import { StoreBatchWriter } from '../src/ingest/batch-writer';
import { toStoredEvent } from '../src/ingest/event-batch';
import { countEvent } from '../src/ingest/event-counting';
import { buildMetricCatalog } from '../src/ingest/metric-catalog';
import { SqliteBatchWriter } from '../src/ingest/sqlite-batch-writer';
import { storeBatches } from '../src/ingest/store-batches';
import { WorkerBatchWriter } from '../src/ingest/worker-batch-writer';
import { silentLogger } from '../src/logger';
import type { ServerOptions } from '../src/server';
import { SqliteStore } from '../src/store/sqlite-store';
import type { Store } from '../src/store/store';
import { WriteTurn } from '../src/store/write-turn';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { toColumns } from '../src/ingest/counted-columns';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-worker-'));
  dirs.push(dir);
  return join(dir, 'switchyard.sqlite');
}

async function start(options: ServerOptions): Promise<TestServer> {
  const t = await startServer({ webhooks: false, scheduler: false, analysis: false, ...options });
  closers.push(() => t.close());
  return t;
}

const id = () => uuidv7(Date.now(), randomBytes(10));

/** Seed-like traffic: exposures, conversions carrying experiment and variant, page views. */
function traffic(experiment: string, batches: number, size: number) {
  return Array.from({ length: batches }, (_, b) =>
    Array.from({ length: size }, (_, i) => {
      const unit = `user-${(b * 7 + i * 13) % 40}`;
      const variant = unit.length % 2 === 0 ? 'control' : 'treatment';
      if (i % 3 === 0) {
        return { id: id(), type: EXPOSURE_EVENT, unit, properties: { experiment, variant } };
      }
      if (i % 3 === 1) {
        return { id: id(), type: 'signup', unit, properties: { experiment, variant, n: i } };
      }
      return { id: id(), type: 'page_view', unit, properties: { path: `/${i}` } };
    }),
  );
}

const CHECKOUT = {
  name: 'Checkout',
  variants: [
    { key: 'control', weight: 50 },
    { key: 'treatment', weight: 50 },
  ],
  metric: 'signup',
};

/** Aggregates without the experiment's id (which differs from server to server). */
async function aggregates(store: Store, experiment: string) {
  const rows = await store.read((r) => r.ingest.aggregates(experiment));
  return rows.map(({ experiment: _, ...row }) => row);
}

/** Sends the batches concurrently (and each twice), while admin verbs write beside them. */
async function ingestAlongsideVerbs(t: TestServer) {
  const created = await t.api('POST', '/v1/experiments', CHECKOUT);
  const experiment = created.body.$id as string;
  await t.api('POST', `/v1/experiments/${experiment}/start`, {});
  const batches = traffic(experiment, 12, 50);
  const key = t.key('server');
  const answers = await Promise.all([
    ...batches.flatMap((events, i) => [
      t.api('POST', '/v1/events', { batchId: `b${i}`, events }, key),
      t.api('POST', '/v1/events', { batchId: `b${i}`, events }, key),
    ]),
    // Verbs on the store's own connection meanwhile: they take turns with the worker's commits.
    ...Array.from({ length: 6 }, (_, i) =>
      t.api('POST', '/v1/experiments', { ...CHECKOUT, name: `Beside ${i}` }),
    ),
    t.api('POST', '/v1/events', {
      id: id(),
      type: EXPOSURE_EVENT,
      unit: 'admin-made',
      properties: { experiment, variant: 'control' },
    }),
  ]);
  const acks = answers.slice(0, batches.length * 2).map((a) => a.body);
  for (const a of answers) expect(a.status).toBeLessThan(300);
  return {
    experiment,
    accepted: acks.reduce((n, a) => n + a.accepted, 0),
    duplicates: acks.reduce((n, a) => n + a.duplicates, 0),
    aggregates: await aggregates(t.server.store, experiment),
  };
}

describe('ingestion from a worker thread (SQLite file)', () => {
  it('counts exactly what the main-thread path counts, beside verbs, and keeps it across a restart', async () => {
    const file = freshFile();
    const viaWorker = await ingestAlongsideVerbs(await start({ db: file }));
    const viaMain = await ingestAlongsideVerbs(
      await start({ db: freshFile(), realtime: { ingestWorker: false } }),
    );
    // Each event once, however the two copies of each batch raced.
    expect(viaWorker.accepted).toBe(12 * 50);
    expect(viaWorker.duplicates).toBe(12 * 50);
    expect(viaWorker.aggregates.length).toBeGreaterThan(0);
    expect(viaWorker.aggregates).toEqual(viaMain.aggregates);

    // What the worker committed is in the file, for the next process to open.
    await closers.shift()!();
    const store = await SqliteStore.open(file);
    closers.push(() => store.close());
    expect(await aggregates(store, viaWorker.experiment)).toEqual(viaWorker.aggregates);
    const events = await store.read((r) => r.listEvents('development', { limit: 10_000 }));
    expect(events.length).toBe(12 * 50 + 1);
  });

  it('falls back to the main thread when the worker cannot start, and loses nothing', async () => {
    const store = await SqliteStore.open(freshFile());
    closers.push(() => store.close());
    const share = { ...store.share!, path: join(freshFile(), 'missing', 'x.sqlite') };
    const writer = new WorkerBatchWriter(share, new StoreBatchWriter(store), silentLogger);
    closers.unshift(() => writer.close());
    const batch = (ids: string[]) =>
      toColumns({
        environment: 'development',
        events: ids.map((id) => ({
          id,
          environment: 'development',
          type: 'page_view',
          unit: 'u1',
          timestamp: 1,
          receivedAt: '2026-01-01T00:00:00.000Z',
          propertiesJson: '{}',
        })),
      });
    // The first group may fail with the worker (its request would be retried)...
    await writer.write([batch(['a', 'b'])]).catch(() => undefined);
    // ...then the main thread writes, idempotent by id as always.
    const written = await writer.write([batch(['a', 'b', 'c'])]);
    expect(written.counts[0]!.accepted + written.counts[0]!.duplicates).toBe(3);
    const stored = await store.read((r) => r.getEvent('c'));
    expect(stored?.type).toBe('page_view');
  });
});

describe('SqliteBatchWriter', () => {
  it("forgets the unit states it knows once another connection wrote the file (Event.create's)", async () => {
    const store = await SqliteStore.open(freshFile());
    closers.push(() => store.close());
    const experiment = {
      $id: 'experiment_views',
      status: 'Running',
      metric: 'views',
      variants: [{ key: 'control', weight: 1 }],
    } as unknown as Experiment;
    const views = { name: 'views', kind: 'count', event: 'view' } as unknown as Metric;
    const catalog = buildMetricCatalog([experiment], [views]);
    const received = new Date('2026-03-02T09:00:00.000Z');
    const batch = (...events: [string, string, Record<string, string>?][]) =>
      toColumns({
        environment: 'development',
        events: events.map(([id, type, properties]) =>
          countEvent(
            toStoredEvent({ id, type, unit: 'u1', properties }, 'development', received),
            catalog,
          ),
        ),
      });
    const writer = new SqliteBatchWriter(store.share!);
    closers.unshift(async () => writer.close());
    await writer.write([
      batch(
        ['e1', EXPOSURE_EVENT, { experiment: 'experiment_views', variant: 'control' }],
        ['e2', 'view'],
      ),
    ]);
    // The store's own connection counts a view of the same unit (as Event.create does).
    await store.transaction((tx) =>
      storeBatches(tx.ingest, new Map([['development', catalog]]), [
        {
          environment: 'development',
          events: [toStoredEvent({ id: 'e3', type: 'view', unit: 'u1' }, 'development', received)],
        },
      ]),
    );
    await writer.write([batch(['e4', 'view'])]);
    const rows = await store.read((r) => r.ingest.aggregates('experiment_views'));
    // u1 viewed 3 times: value 3, not 2 (which a state remembered from before e3 would give).
    expect(rows.find((r) => r.metric === 'views')).toMatchObject({
      units: 1,
      sum: 3,
      sumSquares: 9,
    });
  });
});

/** A worker thread that takes `turn` as the ingestion worker does, and holds it `holdMs`. */
function holder(turn: WriteTurn, holdMs: number): Worker {
  return new Worker(new URL('./support/turn-holder.mjs', import.meta.url), {
    workerData: { buffer: turn.buffer, holdMs },
    execArgv: [],
  });
}

const next = (w: Worker) => new Promise((resolve) => w.once('message', resolve));

describe('WriteTurn', () => {
  it('makes the store wait, without blocking its thread, while the worker holds the turn', async () => {
    const turn = new WriteTurn();
    const w = holder(turn, 150);
    await next(w); // taken
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    await turn.acquire();
    clearInterval(timer);
    // Only once the worker let go (it holds the turn 150 ms from before the store asked).
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(ticks).toBeGreaterThan(3); // the event loop ran meanwhile
    turn.release();
    await w.terminate();
  });

  it('lets the store go first once it asks, and frees the turn of a worker that died', async () => {
    const turn = new WriteTurn();
    const first = holder(turn, 150);
    await next(first); // taken
    const second = holder(turn, 0);
    const secondTook = next(second);
    await new Promise((resolve) => setTimeout(resolve, 30)); // the second worker waits
    await turn.acquire(); // asked while the first held it: the store goes before the second
    const waited = new Promise((resolve) => setTimeout(() => resolve('waiting'), 50));
    expect(await Promise.race([secondTook, waited])).toBe('waiting');
    turn.release();
    expect(await secondTook).toBe('taken');
    await Promise.all([first.terminate(), second.terminate()]);
    // The second holds the turn for 0 ms, so it may be stopped before it let go: free it as the
    // batch writer does after stopping its worker, or the next holder would wait for it forever.
    turn.releaseAbandoned();

    const dying = holder(turn, 60_000);
    await next(dying); // taken, then killed while holding it
    await dying.terminate();
    turn.releaseAbandoned();
    await turn.acquire();
    turn.release();
  });
});
