import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/server';
import type { SwitchyardServer } from '../../src/server';
import { ENGINES } from '../support/engines';
import type { TestServer } from '../support/server';
import { startServer } from '../support/server';
import { ONBOARDING } from '../support/switchyard';
import { experimentTraffic, ingest } from './support/traffic';

/** A webhook receiver that answers 204 and keeps the event types it was sent. */
async function receiver(): Promise<{ url: string; types: string[]; close(): Promise<void> }> {
  const types: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      types.push(String(JSON.parse(body).type));
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    types,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(ENGINES)('auto-conclusion on $name', (engine) => {
  it('concludes once with two instances analysing, delivers the webhook, and keeps the looks', async () => {
    const db = engine.serverDb();
    cleanups.push(db.dispose);
    const hooks = await receiver();
    cleanups.push(hooks.close);
    const options = {
      db: db.db,
      ...(db.schema === undefined ? {} : { schema: db.schema }),
      scheduler: false as const,
      webhooks: { pollMs: 20, retry: { attempts: 3, baseMs: 20, maxMs: 80 }, timeoutMs: 2000 },
      analysis: { minIntervalMs: 0, timer: false },
    };
    const t: TestServer = await startServer(options);
    cleanups.push(() => t.close());
    // A second instance shares the database (on SQLite :memory: it is the same store).
    const other: SwitchyardServer = await createServer({
      ...options,
      logger: false,
      ...(engine.name === 'sqlite' ? { store: t.server.store } : {}),
    });
    cleanups.push(() => other.close());

    const $ = t.server.$;
    await $.Webhook.create({ url: hooks.url, events: ['experiment.concluded'] });
    await $.Metric.define({
      name: 'activation_rate',
      kind: 'conversion',
      event: 'onboarding.completed',
    });
    const experiment = await $.Experiment.create(ONBOARDING);
    await $.Experiment.start({ id: experiment.$id });
    await ingest(
      t,
      experimentTraffic(experiment.$id, [
        { variant: 'control', units: 600, converted: 60 },
        { variant: 'simplified', units: 600, converted: 130 },
      ]),
    );
    await Promise.all([
      t.server.analysis!.idle(),
      other.analysis!.sweep(),
      other.analysis!.sweep(),
    ]);
    await t.server.analysis!.sweep();

    const concluded = await t.server.store.read((r) =>
      r.readLog({ entityId: experiment.$id, types: ['experiment.concluded'] }),
    );
    expect(concluded).toHaveLength(1);
    expect(concluded[0]).toMatchObject({
      actor: 'system:auto-conclude',
      payload: { winner: 'simplified' },
    });
    const deadline = Date.now() + 5000;
    while (hooks.types.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(hooks.types).toEqual(['experiment.concluded']);
    const looks = await t.server.store.read((r) => r.analysis.sequentialLooks(experiment.$id));
    expect(looks).toHaveLength(1);
    expect(looks[0]!.pValue).toBeLessThan(0.05);
  });
});
