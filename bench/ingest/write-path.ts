// A micro-benchmark of ingestion's write path, in one process (not part of bench:ingest; run
// with `pnpm --filter @switchyard/bench exec tsx ingest/write-path.ts`): µs per event of what
// the main thread does (JSON.parse, checkEvents, counting, columns, the structured clone
// postMessage makes) and of what the ingestion worker does (SqliteBatchWriter.write of the
// cloned columns), in groups of 16 batches of 500, after a warm-up of 100 batches. Wall time and
// CPU time (process.cpuUsage: this thread, as the checkpointer's work is done between groups,
// untimed). For A/B runs in one sitting: on a shared machine only the same sitting compares.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEvents, toCountedColumns } from '../../packages/server/src/ingest/event-batch';
import type { MetricCatalog } from '../../packages/server/src/ingest/metric-catalog';
import { countedMetric } from '../../packages/server/src/ingest/metric-catalog';
import { SqliteBatchWriter } from '../../packages/server/src/ingest/sqlite-batch-writer';
import {
  checkpointPassively,
  WalCheckpoints,
} from '../../packages/server/src/ingest/wal-checkpoints';
import { openSqliteConnection } from '../../packages/server/src/store/sqlite-connection';
import { SqliteStore } from '../../packages/server/src/store/sqlite-store';
import { makeBatches } from './event-batches';

const EXPERIMENT = 'experiment_bench0001';
const VARIANTS = ['control', 'simplified'] as const;
const METRIC = 'onboarding.completed';
const GROUP = 16;
const BATCHES = Number(process.env.BENCH_WRITE_PATH_BATCHES ?? 1000);

const metric = countedMetric(METRIC, undefined);
const experiment = { id: EXPERIMENT, variants: new Set<string>(VARIANTS), metrics: [metric] };
const catalog: MetricCatalog = {
  experiments: new Map([[EXPERIMENT, experiment]]),
  flags: new Map(),
  byEventType: new Map([[METRIC, [{ experiment, metric }]]]),
};

function bodies(batches: number, prefix: string): string[] {
  const plan = { experiment: EXPERIMENT, variants: VARIANTS, metric: METRIC, batchSize: 500 };
  return makeBatches({ ...plan, batches, users: 50_000 }).map((events, i) =>
    JSON.stringify({ batchId: `${prefix}${i}`, events }),
  );
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function main(): Promise<void> {
  const warmup = bodies(100, 'w');
  const measured = bodies(BATCHES, 'b');
  const store = await SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'write-path-')), 'db'));
  const writer = new SqliteBatchWriter(store.share!, new WalCheckpoints());
  const checkpointer = openSqliteConnection(store.share!.path);
  const totals = { events: 0, mainMs: 0, mainCpu: 0, workerMs: 0, workerCpu: 0 };

  async function run(list: string[], timed: boolean): Promise<void> {
    for (let g = 0; g < list.length; g += GROUP) {
      const c0 = cpuNow();
      const t0 = performance.now();
      const group = list.slice(g, g + GROUP).map((body) => {
        const { valid } = checkEvents((JSON.parse(body) as { events: unknown[] }).events);
        return toCountedColumns(valid, 'development', new Date(), catalog);
      });
      const sent = structuredClone(group);
      const c1 = cpuNow();
      const t1 = performance.now();
      structuredClone(await writer.write(sent));
      const t2 = performance.now();
      const c2 = cpuNow();
      checkpointPassively(checkpointer);
      if (!timed) continue;
      totals.events += group.reduce((n, c) => n + c.ids.length, 0);
      totals.mainMs += t1 - t0;
      totals.mainCpu += c1 - c0;
      totals.workerMs += t2 - t1;
      totals.workerCpu += c2 - c1;
    }
  }

  try {
    await run(warmup, false);
    await run(measured, true);
  } finally {
    checkpointer.close();
    writer.close();
    await store.close();
  }
  const per = (value: number) => (value / totals.events).toFixed(2);
  console.log(
    `${totals.events} events, µs/event — main thread: ${per(totals.mainMs * 1000)} wall, ` +
      `${per(totals.mainCpu)} CPU; worker: ${per(totals.workerMs * 1000)} wall, ` +
      `${per(totals.workerCpu)} CPU`,
  );
}

await main();
