import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Executor } from '../src/store/executor';
import type { LogEntry, NewLogEntry } from '../src/store/records';
import type { Store } from '../src/store/store';
import { ENGINES } from './support/engines';
import type { OpenedStore } from './support/engines';

/** A reader's executor (private to the queries): what the schema checks read the catalog with. */
type SqlReader = { db: Executor };

function logRow(id: string, at: string, state: Record<string, unknown> | null): NewLogEntry {
  return {
    type: 'experiment.updated',
    entityType: 'Experiment',
    entityId: id,
    environment: 'development',
    at,
    actor: 'test',
    payload: { n: 1 },
    state,
  };
}

function entity(id: string, key: string | null, data: Record<string, unknown>, at: string) {
  return {
    id,
    type: 'FeatureFlag',
    environment: 'development',
    key,
    data,
    createdAt: at,
    updatedAt: at,
  };
}

describe.each(ENGINES)('store contract on $name', (engine) => {
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('starts empty at log seq 0', async () => {
    expect(await store.read((r) => r.latestSeq())).toBe(0);
    expect(await store.read((r) => r.listEntities('FeatureFlag', 'development'))).toEqual([]);
  });

  it('puts, reads, updates and deletes an entity as a JSON document', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.transaction((tx) =>
      tx.putEntity(entity('f1', 'a', { nested: { x: [1, 'y'] } }, at)),
    );
    expect(await store.read((r) => r.getEntity('FeatureFlag', 'development', 'f1'))).toEqual(
      entity('f1', 'a', { nested: { x: [1, 'y'] } }, at),
    );
    expect(await store.read((r) => r.getEntityByKey('FeatureFlag', 'development', 'a'))).not.toBe(
      null,
    );
    expect(await store.read((r) => r.getEntity('FeatureFlag', 'production', 'f1'))).toBe(null);
    const later = '2026-01-02T00:00:00.000Z';
    await store.transaction((tx) =>
      tx.putEntity({ ...entity('f1', 'b', { v: 2 }, at), updatedAt: later }),
    );
    const updated = await store.read((r) => r.getEntity('FeatureFlag', 'development', 'f1'));
    expect(updated).toMatchObject({ key: 'b', data: { v: 2 }, createdAt: at, updatedAt: later });
    await store.transaction((tx) => tx.deleteEntity('FeatureFlag', 'development', 'f1'));
    expect(await store.read((r) => r.getEntity('FeatureFlag', 'development', 'f1'))).toBe(null);
  });

  it('refuses a second entity with the same key in one environment', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.transaction((tx) => tx.putEntity(entity('f1', 'same', {}, at)));
    await expect(
      store.transaction((tx) => tx.putEntity(entity('f2', 'same', {}, at))),
    ).rejects.toThrow();
    await store.transaction((tx) =>
      tx.putEntity({ ...entity('f3', 'same', {}, at), environment: 'production' }),
    );
  });

  it('commits state and log row together or not at all', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await expect(
      store.transaction(async (tx) => {
        await tx.putEntity(entity('f1', 'a', {}, at));
        await tx.appendLog(logRow('f1', at, {}));
        throw new Error('refused halfway');
      }),
    ).rejects.toThrow('refused halfway');
    expect(await store.read((r) => r.getEntity('FeatureFlag', 'development', 'f1'))).toBe(null);
    expect(await store.read((r) => r.latestSeq())).toBe(0);
    // The seq of the rolled-back row is reused: the log has no gaps.
    const entry = await store.transaction((tx) => tx.appendLog(logRow('f1', at, {})));
    expect(entry.seq).toBe(1);
  });

  it('appends gap-free, ordered seqs under concurrent writers and announces commits', async () => {
    const seen: LogEntry[] = [];
    const off = store.onCommit((entries) => seen.push(...entries));
    const at = '2026-01-01T00:00:00.000Z';
    const seqs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transaction(async (tx) => {
          const e = await tx.appendLog(logRow(`e${i}`, at, { i }));
          return e.seq;
        }),
      ),
    );
    off();
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(seen.map((e) => e.seq).sort((a, b) => a - b)).toEqual(seqs.sort((a, b) => a - b));
    const log = await store.read((r) => r.readLog({ after: 5, limit: 3 }));
    expect(log.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(log[0]).toMatchObject({ type: 'experiment.updated', at, payload: { n: 1 } });
  });

  it('does not lose an update when two read-modify-write transactions race', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.transaction((tx) => tx.putEntity(entity('c', null, { count: 0 }, at)));
    await Promise.all(
      Array.from({ length: 10 }, () =>
        store.transaction(async (tx) => {
          const current = await tx.getEntity('FeatureFlag', 'development', 'c');
          const count = (current?.data.count as number) + 1;
          await tx.putEntity(entity('c', null, { count }, at));
        }),
      ),
    );
    const final = await store.read((r) => r.getEntity('FeatureFlag', 'development', 'c'));
    expect(final?.data.count).toBe(10);
  });

  it('filters the log by environment, entity and type', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.transaction(async (tx) => {
      await tx.appendLog(logRow('a', at, {}));
      await tx.appendLog({ ...logRow('b', at, {}), environment: 'production' });
      await tx.appendLog({ ...logRow('a', at, null), type: 'experiment.deleted' });
    });
    expect((await store.read((r) => r.readLog({ environment: 'production' }))).length).toBe(1);
    expect((await store.read((r) => r.readLog({ entityId: 'a' }))).map((e) => e.seq)).toEqual([
      1, 3,
    ]);
    expect((await store.read((r) => r.readLog({ types: ['experiment.deleted'] })))[0]?.state).toBe(
      null,
    );
  });

  it('rebuilds entity states as of a time from the log', async () => {
    await store.transaction(async (tx) => {
      await tx.appendLog(logRow('a', '2026-01-01T00:00:00.000Z', { v: 1 }));
      await tx.appendLog(logRow('b', '2026-01-02T00:00:00.000Z', { v: 'b1' }));
      await tx.appendLog(logRow('a', '2026-01-03T00:00:00.000Z', { v: 2 }));
      await tx.appendLog(logRow('b', '2026-01-04T00:00:00.000Z', null));
    });
    const asOf = (at: string) =>
      store.read((r) => r.entityStatesAsOf('Experiment', 'development', at));
    expect(await asOf('2025-12-31T00:00:00.000Z')).toEqual([]);
    expect(await asOf('2026-01-02T00:00:00.000Z')).toEqual([{ v: 1 }, { v: 'b1' }]);
    expect(await asOf('2026-01-03T12:00:00.000Z')).toEqual([{ v: 'b1' }, { v: 2 }]);
    expect(await asOf('2026-01-05T00:00:00.000Z')).toEqual([{ v: 2 }]);
  });

  it('stores keys by hash, finds them by prefix and revokes them once', async () => {
    const key = {
      id: 'key_1',
      prefix: 'sy_admin_abcdef',
      kind: 'admin' as const,
      environment: null,
      hash: 'h'.repeat(64),
      name: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      revokedAt: null,
    };
    await store.transaction((tx) => tx.insertKey(key));
    expect(await store.read((r) => r.keysByPrefix('sy_admin_abcdef'))).toEqual([key]);
    expect(await store.transaction((tx) => tx.revokeKey('key_1', '2026-01-02T00:00:00.000Z'))).toBe(
      true,
    );
    expect(await store.transaction((tx) => tx.revokeKey('key_1', '2026-01-03T00:00:00.000Z'))).toBe(
      false,
    );
    expect((await store.read((r) => r.listKeys()))[0]?.revokedAt).toBe('2026-01-02T00:00:00.000Z');
  });

  it('inserts an event once by id', async () => {
    const event = {
      id: 'ev1',
      environment: 'development',
      type: 'signup',
      unit: 'u1',
      timestamp: 1_767_225_600_000,
      receivedAt: '2026-01-01T00:00:00.000Z',
      properties: { plan: 'pro' },
    };
    expect(await store.transaction((tx) => tx.insertEvent(event))).toBe(true);
    expect(await store.transaction((tx) => tx.insertEvent({ ...event, type: 'other' }))).toBe(
      false,
    );
    expect(await store.read((r) => r.getEvent('ev1'))).toEqual(event);
    expect(await store.read((r) => r.listEvents('development', { limit: 10 }))).toEqual([event]);
  });

  it("lists an environment's events in the order they were received, page by page", async () => {
    const received = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    // Ids against the order of receipt, and another environment's events between them.
    const ids = ['ev_z', 'ev_m', 'ev_a', 'ev_y', 'ev_b'];
    for (const [i, id] of ids.entries()) {
      await store.transaction(async (tx) => {
        const common = { type: 'signup', unit: 'u1', timestamp: i, receivedAt: received(i) };
        await tx.insertEvent({ ...common, id, environment: 'development', properties: {} });
        await tx.insertEvent({
          ...common,
          id: `${id}_p`,
          environment: 'production',
          properties: {},
        });
      });
    }
    const page = (offset: number) =>
      store.read((r) => r.listEvents('development', { limit: 2, offset }));
    const listed = [...(await page(0)), ...(await page(2)), ...(await page(4))];
    expect(listed.map((e) => e.id)).toEqual(ids);
    expect(listed.map((e) => e.receivedAt)).toEqual(ids.map((_, i) => received(i)));
    const newest = await store.read((r) => r.listEvents('development', { limit: 3 }, true));
    expect(newest.map((e) => e.id)).toEqual(ids.slice(-3).reverse());
  });

  it('applies a migration meant for one engine there only, and records it on both', async () => {
    const { MIGRATIONS } = await import('../src/store/migrations');
    const sqliteOnly = MIGRATIONS.filter((m) => m.dialects && !m.dialects.includes(engine.name));
    const applied = await store.read(async (r) =>
      (await (r as unknown as SqlReader).db.all('SELECT version FROM migrations')).map((row) =>
        Number(row.version),
      ),
    );
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version));
    // The events' listing index is dropped on SQLite (migration 5) and kept on PostgreSQL.
    const indexes = await store.read((r) =>
      (r as unknown as SqlReader).db.all(
        engine.name === 'sqlite'
          ? "SELECT name AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"
          : "SELECT indexname AS n FROM pg_indexes WHERE tablename = 'events' AND schemaname = current_schema()",
      ),
    );
    expect(indexes.map((row) => row.n).includes('events_list')).toBe(engine.name === 'postgres');
    expect(sqliteOnly.length > 0).toBe(engine.name === 'postgres');
  });

  it('keeps metric points, cursors, meta, environments and deliveries', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.transaction(async (tx) => {
      await tx.insertMetricPoint({
        id: 'p1',
        environment: 'development',
        name: 'm',
        value: 1.5,
        dimensions: { winner: 'x' },
        at,
      });
      await tx.setCursor('webhook:w', 4);
      await tx.setCursor('webhook:w', 7);
      await tx.setMeta('project', 'default');
      await tx.insertEnvironment('development', at);
      await tx.insertEnvironment('development', at);
      await tx.putDelivery({
        id: 'd1',
        webhookId: 'w',
        seq: 3,
        eventType: 'experiment.created',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        lastStatus: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
        deliveredAt: null,
      });
    });
    expect(await store.read((r) => r.listMetricPoints('development', 'm', {}))).toMatchObject([
      { value: 1.5, dimensions: { winner: 'x' } },
    ]);
    expect(await store.read((r) => r.getCursor('webhook:w'))).toBe(7);
    expect(await store.read((r) => r.getCursor('nobody'))).toBe(null);
    expect(await store.read((r) => r.getMeta('project'))).toBe('default');
    expect(await store.read((r) => r.listEnvironments())).toEqual(['development']);
    expect(await store.read((r) => r.dueDeliveries('2025-01-01T00:00:00.000Z', 10))).toEqual([]);
    const due = await store.read((r) => r.dueDeliveries(at, 10));
    expect(due.map((d) => d.id)).toEqual(['d1']);
    await store.transaction((tx) =>
      tx.putDelivery({
        ...due[0]!,
        status: 'delivered',
        attempts: 1,
        deliveredAt: at,
        lastStatus: 200,
      }),
    );
    expect(await store.read((r) => r.listDeliveries('w', {}))).toMatchObject([
      { status: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: at },
    ]);
  });
});
