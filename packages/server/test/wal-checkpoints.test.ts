import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreBatchWriter } from '../src/ingest/batch-writer';
import { toColumns } from '../src/ingest/counted-columns';
import { SqliteBatchWriter } from '../src/ingest/sqlite-batch-writer';
import type { CountedBatch } from '../src/ingest/store-batches';
import {
  checkpointPassively,
  WAL_FRAME_LIMIT,
  WalCheckpoints,
} from '../src/ingest/wal-checkpoints';
import { WorkerBatchWriter } from '../src/ingest/worker-batch-writer';
import { silentLogger } from '../src/logger';
import { openSqliteConnection } from '../src/store/sqlite-connection';
import { SqliteStore } from '../src/store/sqlite-store';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function freshStore(): Promise<{ store: SqliteStore; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wal-checkpoints-'));
  dirs.push(dir);
  const file = join(dir, 'switchyard.sqlite');
  const store = await SqliteStore.open(file);
  closers.push(() => store.close());
  return { store, file };
}

/** A batch of `n` page views with ids `<prefix>-<i>` and some properties to fill pages. */
function pageViews(prefix: string, n: number): CountedBatch {
  return {
    environment: 'development',
    events: Array.from({ length: n }, (_, i) => ({
      id: `${prefix}-${i}`,
      environment: 'development',
      type: 'page_view',
      unit: `u${i % 50}`,
      timestamp: 1,
      receivedAt: '2026-01-01T00:00:00.000Z',
      propertiesJson: JSON.stringify({ path: `/docs/${i}`, filler: 'x'.repeat(200) }),
    })),
  };
}

/**
 * A fresh store and an ingestion writer on it that leaves checkpoints to `checkpoints` (no
 * checkpointer thread runs), after a first group of 2,000 page views.
 */
async function writerWithCheckpoints() {
  const { store } = await freshStore();
  const checkpoints = new WalCheckpoints();
  const writer = new SqliteBatchWriter(store.share!, checkpoints);
  closers.push(async () => writer.close());
  await writer.write([toColumns(pageViews('a', 2000))]);
  return { store, checkpoints, writer };
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WAL checkpoints beside the ingestion worker', () => {
  it('leaves checkpoints to the checkpointer: committed groups reach the database file', async () => {
    const { store, file } = await freshStore();
    const writer = new WorkerBatchWriter(store.share!, new StoreBatchWriter(store), silentLogger);
    closers.push(() => writer.close());
    const before = statSync(file).size;
    for (let g = 0; g < 5; g++) {
      const written = await writer.write([toColumns(pageViews(`g${g}`, 400))]);
      expect(written.counts).toEqual([{ accepted: 400, duplicates: 0 }]);
    }
    // Nobody else checkpoints: the worker's commits leave that to the checkpointer thread.
    await until(() => statSync(file).size > before + 400 * 1000);
    await writer.close();
    const count = await store.read((r) => r.listEvents('development', { limit: 10_000 }));
    expect(count.length).toBe(2000);
  });

  it('checkpoints from the writer once the WAL outgrew its limit, so the WAL starts over', async () => {
    const { store, checkpoints, writer } = await writerWithCheckpoints();
    await writer.write([toColumns(pageViews('b', 2000))]);
    // The WAL file grows while frames are appended, and not when they start over from its top.
    const walSize = () => statSync(`${store.share!.path}-wal`).size;
    const grown = walSize();

    // Under the limit it leaves the WAL alone (no checkpointer ran: it keeps growing).
    checkpoints.walFrames = WAL_FRAME_LIMIT - 1;
    writer.tidyWal();
    await writer.write([toColumns(pageViews('c', 100))]);
    expect(walSize()).toBeGreaterThan(grown);
    const longest = walSize();

    // At the limit it checkpoints; its next transaction writes the WAL from its first frame.
    checkpoints.walFrames = WAL_FRAME_LIMIT;
    writer.tidyWal();
    expect(checkpoints.walFrames).toBe(0);
    await writer.write([toColumns(pageViews('d', 100))]);
    expect(walSize()).toBe(longest);
    const probe = openSqliteConnection(store.share!.path);
    closers.push(async () => void probe.close());
    // What the WAL holds now is that one transaction, well under what it had grown to.
    expect(checkpointPassively(probe)).toBeLessThan(grown / 4096 / 4);
    expect(await store.read((r) => r.getEvent('d-99'))).toMatchObject({ type: 'page_view' });
  });

  it('gives the writer the checkpoint turn only once the checkpointer let go of it (or died holding it)', async () => {
    const { store, checkpoints, writer } = await writerWithCheckpoints();
    expect(checkpoints.tryHoldAsCheckpointer()).toBe(true);
    expect(checkpoints.holdAsWriter(30)).toBe(false);
    checkpoints.walFrames = WAL_FRAME_LIMIT;
    checkpoints.releaseAbandoned(); // as after the checkpointer's thread died holding it
    expect(checkpoints.holdAsWriter(30)).toBe(true);
    checkpoints.release();
    writer.tidyWal();
    expect(checkpoints.walFrames).toBe(0);
  });
});
