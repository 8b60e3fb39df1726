import { describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger';
import { PostgresCommitListener } from '../src/scale-out/commit-listener';
import { PostgresStore } from '../src/store/postgres-store';
import type { Store } from '../src/store/store';
import { LogFollower } from '../src/sync/log-follower';
import { ENGINES, POSTGRES_URL, dropSchema, freshSchema } from './support/engines';

function append(store: Store, n: number, environment = 'development') {
  return store.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await tx.appendLog({
        type: 'thing.happened',
        entityType: 'Thing',
        entityId: `t${i}`,
        environment,
        at: new Date().toISOString(),
        actor: 'test',
        payload: {},
        state: null,
      });
    }
  });
}

describe('LogFollower', () => {
  it('delivers this process commits in the committing tick, and reads the log when work was queued', async () => {
    const { store, dispose } = await ENGINES[0]!.open();
    try {
      await append(store, 2);
      const follower = new LogFollower({ store, logger: silentLogger });
      await follower.start();
      const seen: number[] = [];
      follower.subscribe((entries) => seen.push(...entries.map((e) => e.seq)));
      await append(store, 2);
      // Delivered before the transaction's caller resumed.
      expect(seen).toEqual([3, 4]);

      let release!: () => void;
      const held = follower.exclusive(async (position) => {
        expect(position).toBe(4);
        await new Promise<void>((resolve) => (release = resolve));
      });
      await append(store, 3);
      expect(seen).toEqual([3, 4]);
      release();
      await held;
      await follower.exclusive(async () => undefined);
      expect(seen).toEqual([3, 4, 5, 6, 7]);
      await follower.stop();
    } finally {
      await dispose();
    }
  });
});

const postgres = ENGINES.some((e) => e.name === 'postgres');

describe.runIf(postgres)('another instance on PostgreSQL', () => {
  it('hears its commits through NOTIFY and reads them from the log, in order, once', async () => {
    const schema = freshSchema();
    const a = await PostgresStore.open({ url: POSTGRES_URL, schema, poolSize: 2 });
    const b = await PostgresStore.open({ url: POSTGRES_URL, schema, poolSize: 2 });
    const follower = new LogFollower({ store: b, logger: silentLogger });
    const listener = new PostgresCommitListener({
      url: POSTGRES_URL,
      channel: b.channel,
      logger: silentLogger,
      onNotice: () => follower.poke(),
    });
    try {
      await follower.start();
      await listener.start();
      const seen: number[] = [];
      follower.subscribe((entries) => seen.push(...entries.map((e) => e.seq)));
      for (let i = 0; i < 5; i++) await append(a, 2);
      const deadline = Date.now() + 5000;
      while (seen.length < 10 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await listener.stop();
      await follower.stop();
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });
});
