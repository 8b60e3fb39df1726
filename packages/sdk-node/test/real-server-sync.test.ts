import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, createManagement } from '../src';
import type { SwitchyardClient } from '../src';
import { waitFor } from './support/fixtures';
import { ADMIN_KEY, startRealServer } from './support/real-server';
import type { RealServer } from './support/real-server';

const FAST_RECONNECT = { baseMs: 50, maxMs: 200 };

describe('the Node client against the real server', () => {
  const clients: SwitchyardClient[] = [];
  const servers: RealServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 500 })));
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function start(options: Parameters<typeof startRealServer>[0] = {}) {
    const real = await startRealServer(options);
    servers.push(real);
    return real;
  }

  function client(real: { url: string }, key: string) {
    const c = createClient({ url: real.url, key, reconnect: FAST_RECONNECT, transport: 'socket' });
    clients.push(c);
    return c;
  }

  it('sees a change made over REST within a second', async () => {
    const real = await start();
    const $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
    const sdk = client(real, real.key('server'));
    await sdk.ready({ timeoutMs: 3000 });
    expect(sdk.isOn('live-flag', { userId: 'u1' })).toBe(false);

    // Enabled, a boolean flag serves its default (`off`); the rollout rule turns it on.
    const flag = await $.FeatureFlag.create({ key: 'live-flag', rolloutPercent: 100 });
    const changed = Date.now();
    await $.FeatureFlag.enable({ id: flag.$id });
    await waitFor(() => sdk.isOn('live-flag', { userId: 'u1' }), 1000);
    expect(Date.now() - changed).toBeLessThan(1000);
    // Another environment's change does not reach a development key.
    await $.env('production').FeatureFlag.create({
      key: 'prod-only',
      enabled: true,
      rolloutPercent: 100,
    });
    await $.FeatureFlag.disable({ id: flag.$id });
    await waitFor(() => !sdk.isOn('live-flag', { userId: 'u1' }), 1000);
    expect(sdk.isOn('prod-only', { userId: 'u1' })).toBe(false);
  });

  it('reconnects after a server restart and catches up with what changed meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-node-restart-'));
    dirs.push(dir);
    const db = join(dir, 'switchyard.db');
    const first = await start({ db });
    const port = Number(new URL(first.url).port);
    const serverKey = first.key('server');
    const sdk = client(first, serverKey);
    await sdk.ready({ timeoutMs: 3000 });
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const second = await start({ db, port });
    expect(second.url).toBe(first.url);
    const $ = createManagement({ url: second.url, adminKey: ADMIN_KEY });
    await $.FeatureFlag.create({ key: 'after-restart', enabled: true, rolloutPercent: 100 });
    await waitFor(() => sdk.isOn('after-restart', { userId: 'u1' }), 5000);
  }, 15_000);

  it('sends one exposure per unit, experiment and variant however often it is read', async () => {
    const real = await start();
    const $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
    const experiment = await $.Experiment.create({
      name: 'Dedup',
      variants: [
        { key: 'control', weight: 50 },
        { key: 'treatment', weight: 50 },
      ],
    });
    await $.Experiment.start({ id: experiment.$id });
    const sdk = client(real, real.key('server'));
    await sdk.ready({ timeoutMs: 3000 });
    await waitFor(() => sdk.getVariant(experiment.$id, { userId: 'u1' }) !== null, 1000);
    for (let i = 0; i < 50; i++) {
      sdk.getVariant(experiment.$id, { userId: 'u1' });
      sdk.getVariant(experiment.$id, { userId: 'u2' });
    }
    expect(await sdk.flush({ timeoutMs: 3000 })).toBe(true);
    const exposures = await $.Event.find({ filter: { type: '$exposure' } });
    expect(exposures.data.map((e) => e.unit).sort()).toEqual(['u1', 'u2']);
    expect(exposures.data.map((e) => e.properties.variant).sort()).toEqual(
      [
        sdk.getVariant(experiment.$id, { userId: 'u1' }),
        sdk.getVariant(experiment.$id, { userId: 'u2' }),
      ].sort(),
    );
  });

  it('delivers every tracked event on close', async () => {
    const real = await start();
    const sdk = createClient({
      url: real.url,
      key: real.key('server'),
      events: { flushIntervalMs: 60_000, batchSize: 40 },
    });
    await sdk.ready({ timeoutMs: 3000 });
    for (let i = 0; i < 100; i++) sdk.track('purchase', { userId: `u${i}` }, { amount: i });
    expect(sdk.pendingEvents).toBeGreaterThan(0);
    expect(await sdk.close({ timeoutMs: 5000 })).toBe(true);
    const $ = createManagement({ url: real.url, adminKey: ADMIN_KEY });
    const stored = await $.Event.find({ filter: { type: 'purchase' }, limit: 1000 });
    expect(stored.total).toBe(100);
    expect(new Set(stored.data.map((e) => e.properties.amount)).size).toBe(100);
  });
});
