import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../support/bundle';
import { modulePage, servePage } from '../support/page-server';
import type { PageServer } from '../support/page-server';
import { until } from '../support/until';
import {
  beaconsTo,
  browser,
  countedExperiment,
  eventAnswers,
  eventsInIndexedDb,
  exposeAndTrack,
  keptProfile,
  ofType,
  openPage,
  pageUrl,
  recordTraffic,
  results,
  serve,
  storedEvents,
  tempDir,
} from './browser-fixture';
import type { EventsAnswer } from './browser-fixture';
import type { SeenChange } from './page/sdk-page';

// The browser SDK as users run it: bundled with esbuild (with React), in Debian's Chromium, against
// a real server on a SQLite file. Each test has its own server and browser profile.

let pages: PageServer;

beforeAll(async () => {
  const script = await bundleForBrowser(
    fileURLToPath(new URL('./page/sdk-page.ts', import.meta.url)),
  );
  pages = await servePage(
    modulePage(script, {
      '/away': { type: 'text/html; charset=utf-8', body: '<!doctype html><p>another page</p>' },
    }),
  );
});
afterAll(() => pages?.close());

describe('the browser SDK in Chromium against a real server', () => {
  it('pushes a REST flag change to the page within a second and re-renders only its readers', async (ctx) => {
    const sy = await serve(join(tempDir(), 'switchyard.db'));
    const admin = sy.key('admin');
    await sy.request('POST', '/v1/flags', admin, {
      key: 'banner-text',
      variants: [
        { key: 'welcome', value: 'Welcome' },
        { key: 'sale', value: 'Sale today' },
      ],
      default: 'welcome',
      enabled: true,
    });
    await sy.request('POST', '/v1/flags', admin, {
      key: 'dark-mode',
      default: 'on',
      enabled: true,
    });

    const tab = await openPage(await browser(ctx), pageUrl(pages, sy));
    await tab.evaluate(() =>
      sdkPage.mount([
        { flag: 'banner-text', fallback: 'none' },
        { flag: 'dark-mode', fallback: false },
      ]),
    );
    await tab.waitForFunction(
      () =>
        sdkPage.client.sync?.live === true &&
        sdkPage.shown('banner-text') === '"Welcome"' &&
        sdkPage.shown('dark-mode') === 'true',
    );
    const renders = () => tab.evaluate(() => ({ ...sdkPage.log.renders }));
    const first = await renders();

    // One flag changes: its reader re-renders once with the new value, the other not at all.
    const sent = Date.now();
    await sy.request('PATCH', '/v1/flags/banner-text', admin, { default: 'sale' });
    const seen = (await (
      await tab.waitForFunction(
        (after) =>
          sdkPage.log.changes.find((c) => c.wall >= after && c.flags.includes('banner-text')),
        sent,
      )
    ).jsonValue()) as SeenChange;
    expect(seen.source).toBe('server');
    expect(seen.flags).toEqual(['banner-text']);
    expect(seen.wall - sent).toBeLessThan(1000);
    await tab.waitForFunction(() => sdkPage.shown('banner-text') === '"Sale today"');
    const second = await renders();
    expect(second['banner-text']).toBe(first['banner-text']! + 1);
    expect(second['dark-mode']).toBe(first['dark-mode']);

    // And the other way round, through a verb route.
    const disabled = Date.now();
    await sy.request('POST', '/v1/flags/dark-mode/disable', admin);
    await tab.waitForFunction(() => sdkPage.shown('dark-mode') === 'false');
    const change = (await tab.evaluate(
      (after) => sdkPage.log.changes.find((c) => c.wall >= after),
      disabled,
    ))!;
    expect(change.flags).toEqual(['dark-mode']);
    expect(change.wall - disabled).toBeLessThan(1000);
    const third = await renders();
    expect(third['dark-mode']).toBe(second['dark-mode']! + 1);
    expect(third['banner-text']).toBe(second['banner-text']);
    expect(await tab.evaluate(() => sdkPage.log.errors)).toEqual([]);
  });

  it('never lets a serverOnly flag reach the page: not in its client, its frames or its cache', async (ctx) => {
    const sy = await serve(join(tempDir(), 'switchyard.db'));
    const admin = sy.key('admin');
    // The secrets: targeting that names people, which a browser's user could read.
    const secrets = ['staff-tools', 'secret-staff', 'vip-pricing', 'secret-vip'];
    await sy.request('POST', '/v1/flags', admin, { key: 'public-banner', enabled: true });
    await sy.request('POST', '/v1/flags', admin, {
      key: 'staff-tools',
      serverOnly: true,
      rules: [{ condition: { email: { $regex: '@secret-staff\\.example$' } }, variant: 'on' }],
      enabled: true,
    });
    // The server key's config holds them, so a leak would show below.
    const full = await sy.text('/v1/config', sy.key('server'));
    expect(full).toContain('staff-tools');
    expect(full).toContain('secret-staff');

    const chromium = await browser(ctx);
    const tab = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    const frames = recordTraffic(tab);
    await openPage(chromium, pageUrl(pages, sy), tab);
    await tab.waitForFunction(() => sdkPage.client.sync?.live === true);
    const staff = { userId: 'ada', email: 'ada@secret-staff.example' };
    const read = await tab.evaluate(
      (context) => sdkPage.client.getDetails('staff-tools', context, false),
      staff,
    );
    expect(read).toMatchObject({ value: false, errorCode: 'FLAG_NOT_FOUND' });

    // Changes while connected: the serverOnly flag moves, a new one comes, a public one turns
    // serverOnly (a removal for the page).
    await sy.request('POST', '/v1/flags/staff-tools/rollout', admin, { percent: 30 });
    await sy.request('POST', '/v1/flags', admin, {
      key: 'vip-pricing',
      serverOnly: true,
      rules: [{ condition: { email: 'ceo@secret-vip.example' }, variant: 'on' }],
      enabled: true,
    });
    await sy.request('PATCH', '/v1/flags/public-banner', admin, { serverOnly: true });
    const { version } = await sy.request<{ version: number }>(
      'GET',
      '/v1/config',
      sy.key('client'),
    );
    await tab.waitForFunction((v) => sdkPage.client.snapshot?.version === v, version);
    const flags = await tab.evaluate(() => Object.keys(sdkPage.client.snapshot!.flags));
    expect(flags).toEqual([]);
    // The serverOnly changes moved the page's version with nothing in them; the last one
    // removed public-banner.
    const changes = await tab.evaluate(() => sdkPage.log.changes);
    expect(changes.slice(1).map((c) => c.flags)).toEqual([[], [], ['public-banner']]);
    expect(changes.at(-1)).toMatchObject({ source: 'server', version });

    // The cache written after the last change.
    const cached = await until('the config cached at the last version', async () => {
      const stored = await tab.evaluate(() => sdkPage.stored());
      const config = stored.find(([k]) => Array.isArray(k) && k[0] === 'config');
      return (config?.[1] as { version?: number } | undefined)?.version === version && config;
    });

    expect(ofType(frames.received, 'snapshot')).toHaveLength(1);
    expect(ofType(frames.received, 'delta').length).toBeGreaterThanOrEqual(3);
    // The frames and the cache carried public-banner while it was public: the check can see.
    expect(frames.received.join('\n')).toContain('public-banner');
    for (const text of [...frames.received, ...frames.sent, JSON.stringify(cached)]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('starts offline from the cached config and delivers the events queued while the server was down, once', async (ctx) => {
    const dir = tempDir();
    const db = join(dir, 'switchyard.db');
    const first = await serve(db);
    const admin = first.key('admin');
    const experiment = await countedExperiment(first, 'offline.purchase');
    await first.request('POST', '/v1/flags', admin, {
      key: 'offline-banner',
      type: 'string',
      variants: [{ key: 'cached', value: 'from the server, cached' }],
      default: 'cached',
      enabled: true,
    });
    const { version } = await first.request<{ version: number }>(
      'GET',
      '/v1/config',
      first.key('client'),
    );

    // Online: the page syncs, caches the config, and the unit's exposure is stored.
    const profile = keptProfile();
    const chromium = await browser(ctx, profile);
    const tab = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    const frames = recordTraffic(tab);
    await openPage(chromium, pageUrl(pages, first), tab);
    await tab.waitForFunction(() => sdkPage.client.isReady);
    const variant = await tab.evaluate(
      (id) => sdkPage.client.getVariant(id, sdkPage.context),
      experiment,
    );
    expect(variant).not.toBeNull();
    await tab.waitForFunction(() => sdkPage.client.pendingEvents === 0);
    await until('the config cached in IndexedDB', async () =>
      (await tab.evaluate(() => sdkPage.stored())).some(
        ([k, v]) =>
          Array.isArray(k) && k[0] === 'config' && (v as { version: number }).version === version,
      ),
    );

    // The server goes away; the page reloads on the same profile.
    await first.close();
    await tab.reload();
    await tab.waitForFunction(() => 'sdkPage' in globalThis && sdkPage.client.isReady);
    await tab.evaluate(() => sdkPage.mount([{ flag: 'offline-banner', fallback: 'none' }]));
    await tab.waitForFunction(() => sdkPage.log.timeline.includes('socket'));
    const offline = await tab.evaluate(() => ({
      log: sdkPage.log,
      shown: sdkPage.shown('offline-banner'),
    }));
    expect(offline.log.changes[0]).toMatchObject({ source: 'cache', version });
    expect(offline.log.changes.every((c) => c.source === 'cache')).toBe(true);
    // The cached config was in use before the first socket was even made.
    expect(offline.log.timeline[0]).toBe('change:cache');
    expect(offline.log.timeline).toContain('socket');
    expect(offline.shown).toBe('"from the server, cached"');
    expect(offline.log.renders['offline-banner']).toBe(1);

    // Events tracked while the server is down wait in IndexedDB.
    const queued = await tab.evaluate(() => {
      for (let n = 1; n <= 5; n++) sdkPage.client.track('offline.purchase', sdkPage.context, { n });
      return sdkPage.client.unsentEvents().map((e) => e.id);
    });
    expect(queued).toHaveLength(5);
    await until('the queued events in IndexedDB', async () => (await eventsInIndexedDb(tab)) === 5);

    // Back on the same file and port: the page reconnects and delivers them.
    frames.received.length = 0;
    frames.posts.length = 0;
    const second = await serve(db, { port: first.port, keys: first.keys });
    await until(
      'the page to deliver its queue',
      () => tab.evaluate(() => sdkPage.client.pendingEvents === 0),
      { timeoutMs: 5000 },
    );
    // Over the socket or HTTP, whichever was up first: five accepted, in all.
    const answers = await eventAnswers(frames);
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(5);
    const stored = await storedEvents(second, 'offline.purchase');
    expect(stored.map((e) => e.id).sort()).toEqual([...queued].sort());
    const report = await results(second, experiment);
    expect(report.totalUnits).toBe(1);
    expect(report.variants.find((v) => v.key === variant)).toMatchObject({ units: 1, mean: 5 });
    expect(await eventsInIndexedDb(tab)).toBe(0);
  });
  it('beacons the queue when the tab is closed, and the server stores and counts it once', async (ctx) => {
    const sy = await serve(join(tempDir(), 'switchyard.db'));
    const experiment = await countedExperiment(sy, 'beacon.signup');
    const chromium = await browser(ctx);
    const tab = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    const traffic = recordTraffic(tab);
    // Events would wait a minute for the normal path: only the beacon can carry them in time.
    await openPage(chromium, pageUrl(pages, sy, 60_000), tab);
    await tab.waitForFunction(() => sdkPage.client.sync?.live === true);
    const queued = await exposeAndTrack(tab, experiment, 'beacon.signup', 3);
    expect(queued).toHaveLength(4);
    await tab.close();

    await until('the beacon answered', () => beaconsTo(sy).some((r) => r.status !== undefined));
    const stored = await storedEvents(sy, 'beacon.signup');
    // One beacon, as text/plain; no other path carried them.
    expect(beaconsTo(sy)).toMatchObject([{ contentType: 'text/plain;charset=UTF-8', status: 200 }]);
    expect(traffic.posts).toEqual([]);
    expect(ofType(traffic.sent, 'events')).toEqual([]);
    expect(stored.map((e) => e.id).sort()).toEqual(queued.slice(1).sort());
    const report = await results(sy, experiment);
    expect(report.totalUnits).toBe(1);
    expect(report.variants.find((v) => v.units === 1)?.mean).toBe(3);
  });

  it('beacons a batch in flight when the page is left, and its retry on the next visit counts nothing twice', async (ctx) => {
    const sy = await serve(join(tempDir(), 'switchyard.db'));
    const experiment = await countedExperiment(sy, 'beacon.checkout');
    const profile = keptProfile();
    const chromium = await browser(ctx, profile);
    const tab = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    const traffic = recordTraffic(tab);
    // The server's acks pass through here: holding them keeps a delivered batch in flight.
    let holdAcks = false;
    const acks: EventsAnswer[] = [];
    await tab.routeWebSocket(/\/v1\/stream$/, (page) => {
      const server = page.connectToServer();
      server.onMessage((message) => {
        const parsed = JSON.parse(String(message)) as { type: string } & EventsAnswer;
        if (parsed.type === 'ack') {
          if (holdAcks) return;
          acks.push(parsed);
        }
        page.send(message);
      });
    });
    await openPage(chromium, pageUrl(pages, sy, 60_000), tab);
    await tab.waitForFunction(() => sdkPage.client.sync?.live === true);
    const queued = await exposeAndTrack(tab, experiment, 'beacon.checkout', 3);
    holdAcks = true;
    await tab.evaluate(() => void sdkPage.client.flush());
    await until('the batch stored (its ack held back)', async () => {
      return (await storedEvents(sy, 'beacon.checkout')).length === 3;
    });

    // Leaving the page beacons the batch in flight too; it stays queued in IndexedDB.
    await tab.goto(`${pages.url}/away`);
    await until('the beacon', () => beaconsTo(sy).find((r) => r.status !== undefined));
    expect(beaconsTo(sy)).toMatchObject([{ status: 200 }]);
    // The batch it carried was in flight: it stays in IndexedDB for the next visit.

    // The next visit sends the same ids again the normal way: all duplicates.
    holdAcks = false;
    await openPage(chromium, pageUrl(pages, sy, 50), tab);
    await until('the retried batch acknowledged', () =>
      tab.evaluate(() => sdkPage.client.isReady && sdkPage.client.pendingEvents === 0),
    );
    const retried = await eventAnswers({ ...traffic, received: [] });
    const answers = [...acks, ...retried];
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(0);
    expect(answers.reduce((n, a) => n + a.duplicates, 0)).toBe(4);
    expect((await storedEvents(sy, 'beacon.checkout')).length).toBe(3);
    const report = await results(sy, experiment);
    expect(report.totalUnits).toBe(1);
    expect(report.variants.find((v) => v.units === 1)?.mean).toBe(3);
  });

  it('sends the exposures of getVariant and flag reads, counted once per unit in the results', async (ctx) => {
    const sy = await serve(join(tempDir(), 'switchyard.db'));
    const experiment = await countedExperiment(sy, 'exposure.goal', 'layout');
    const chromium = await browser(ctx);
    const tab = await openPage(chromium, pageUrl(pages, sy, 50));
    await tab.waitForFunction(() => sdkPage.client.isReady);
    const UNITS = 30;
    // Even units read the experiment, odd ones only the flag that serves it; each twice.
    const first = await tab.evaluate(
      ({ id, units }) => {
        const { client } = sdkPage;
        const seen: { unit: string; variant: string | null; value: unknown }[] = [];
        for (let i = 0; i < units; i++) {
          const context = { userId: `unit-${i}` };
          let value: unknown = null;
          for (let read = 0; read < 2; read++) {
            if (i % 2 === 0) client.getVariant(id, context);
            else value = client.getFlag('layout', context, 'none');
          }
          seen.push({ unit: context.userId, variant: client.getVariant(id, context), value });
        }
        return seen;
      },
      { id: experiment, units: UNITS },
    );
    await tab.waitForFunction(() => sdkPage.client.pendingEvents === 0);

    // A reload forgets which exposures were sent: every unit's goes again.
    await tab.reload();
    await tab.waitForFunction(() => 'sdkPage' in globalThis && sdkPage.client.isReady);
    const again = await tab.evaluate(
      ({ id, units }) =>
        Array.from({ length: units }, (_, i) =>
          sdkPage.client.getVariant(id, { userId: `unit-${i}` }),
        ),
      { id: experiment, units: UNITS },
    );
    expect(again).toEqual(first.map((s) => s.variant));
    await tab.waitForFunction(() => sdkPage.client.pendingEvents === 0);

    const values: Record<string, string> = {
      control: 'classic',
      compact: 'compact-layout',
      bold: 'bold-layout',
    };
    for (const s of first.filter((_, i) => i % 2 === 1)) expect(s.value).toBe(values[s.variant!]);
    const exposures = await storedEvents(sy, '$exposure');
    expect(exposures).toHaveLength(2 * UNITS);
    const byFlag = exposures.filter((e) => e.properties.flag === 'layout').map((e) => e.unit);
    expect(byFlag.sort()).toEqual(
      first
        .filter((_, i) => i % 2 === 1)
        .map((s) => s.unit)
        .sort(),
    );
    const report = await results(sy, experiment);
    expect(report.totalUnits).toBe(UNITS);
    const expected = new Map<string, number>();
    for (const s of first) expected.set(s.variant!, (expected.get(s.variant!) ?? 0) + 1);
    for (const v of report.variants) expect(v.units).toBe(expected.get(v.key) ?? 0);
    expect(expected.size).toBeGreaterThan(1);
  });
  it('keeps the events a hidden page beacons while the server is unreachable, and delivers them when it is back', async (ctx) => {
    const db = join(tempDir(), 'switchyard.db');
    const first = await serve(db);
    const chromium = await browser(ctx);
    const tab = await openPage(chromium, pageUrl(pages, first));
    await tab.waitForFunction(() => sdkPage.client.sync?.live === true);
    await first.close();
    await tab.waitForFunction(() => sdkPage.client.sync?.live === false);
    // The browser is online, the server is not: more than a batch waits (100 per batch).
    const queued = await tab.evaluate(() => {
      for (let n = 1; n <= 150; n++) sdkPage.client.track('outage.click', sdkPage.context, { n });
      return sdkPage.client.unsentEvents().map((e) => e.id);
    });
    await until('the events in IndexedDB', async () => (await eventsInIndexedDb(tab)) === 150);

    // The user switches tabs. Headless Chromium never hides a tab, so the page is told so the
    // way the browser would tell it; the beacon that follows is real, to a server that is down.
    const beacons = await tab.evaluate(() => {
      const send = navigator.sendBeacon.bind(navigator);
      const taken: boolean[] = [];
      navigator.sendBeacon = (url, body) => {
        const ok = send(url, body);
        taken.push(ok);
        return ok;
      };
      const setVisibility = (state: DocumentVisibilityState) => {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      setVisibility('hidden');
      setVisibility('visible');
      return taken;
    });
    expect(beacons).toEqual([true]); // the browser took it: it cannot know the server is down
    expect(await tab.evaluate(() => sdkPage.client.pendingEvents)).toBe(150);
    expect(await eventsInIndexedDb(tab)).toBe(150);

    const second = await serve(db, { port: first.port, keys: first.keys });
    await until('the queue delivered', () =>
      tab.evaluate(() => sdkPage.client.pendingEvents === 0),
    );
    const stored = await storedEvents(second, 'outage.click');
    expect(stored.map((e) => e.id).sort()).toEqual([...queued].sort());
  });
});
