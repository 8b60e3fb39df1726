import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { TestContext } from 'vitest';
import { bundleForBrowser } from '../support/bundle';
import { freshProfile, requireChromium } from '../support/chromium';
import type { Chromium } from '../support/chromium';
import { modulePage, servePage } from '../support/page-server';
import type { PageServer } from '../support/page-server';
import { startSwitchyard } from '../support/switchyard-server';
import type { RunningServer, SwitchyardStart } from '../support/switchyard-server';
import { until } from '../support/until';
import type { SeenChange } from './page/sdk-page';

// The browser SDK as users run it: bundled with esbuild (with React), in Debian's Chromium, against
// a real server on a SQLite file. Each test has its own server and browser profile.

interface StoredEvent {
  id: string;
  type: string;
  unit: string | null;
  properties: Record<string, unknown>;
}
interface VariantResult {
  key: string;
  units: number;
  mean: number | null;
}
interface Results {
  totalUnits: number;
  variants: VariantResult[];
}
/** The answer of `POST /v1/events` and the socket's `ack`. */
interface EventsAnswer {
  accepted: number;
  duplicates: number;
}

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

/** A temporary directory for this test, removed after it. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-browser-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A server on `db` (closed after the test unless the test closes it). */
async function serve(db: string, start: SwitchyardStart = {}): Promise<RunningServer> {
  const sy = await startSwitchyard({ db, ...start });
  let closed = false;
  const close = sy.close;
  sy.close = () => ((closed = true), close());
  onTestFinished(() => (closed ? undefined : close()));
  return sy;
}

/** Chromium on `profile` (else a fresh one), closed after the test; skips locally without one. */
async function browser(context: TestContext, profile?: string): Promise<Chromium> {
  const chromium = await requireChromium('the browser SDK test', profile);
  if (!chromium) context.skip('no Chromium');
  onTestFinished(() => chromium.close());
  return chromium;
}

/** The test page's URL for a client of `sy` with `key` (default: the client key). */
function pageUrl(sy: RunningServer, options: { flushMs?: number; user?: string } = {}): string {
  const query = new URLSearchParams({ server: sy.url, key: sy.key('client') });
  if (options.flushMs !== undefined) query.set('flushMs', String(options.flushMs));
  if (options.user !== undefined) query.set('user', options.user);
  return `${pages.url}/?${query}`;
}

/** The browser's tab (its first one), with the test page loaded from `url`. */
async function openPage(chromium: Chromium, url: string, tab?: Page): Promise<Page> {
  const page = tab ?? chromium.context.pages()[0] ?? (await chromium.context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => 'sdkPage' in globalThis);
  return page;
}

/** Stored events of `type`, through the admin API. */
async function storedEvents(sy: RunningServer, type: string): Promise<StoredEvent[]> {
  const filter = encodeURIComponent(JSON.stringify({ type }));
  const found = await sy.request<{ data: StoredEvent[] }>(
    'GET',
    `/v1/events?filter=${filter}&limit=1000`,
    sy.key('admin'),
  );
  return found.data;
}

/** A running experiment with a count metric over `event`, and the flag that serves it. */
async function countedExperiment(sy: RunningServer, event: string, flag?: string) {
  const admin = sy.key('admin');
  const metric = `${event}.count`;
  await sy.request('POST', '/v1/metrics', admin, { name: metric, kind: 'count', event });
  const experiment = await sy.request<{ $id: string }>('POST', '/v1/experiments', admin, {
    name: `Experiment on ${event}`,
    variants: [
      { key: 'control', weight: 40 },
      { key: 'compact', weight: 35 },
      { key: 'bold', weight: 25 },
    ],
    metric,
  });
  await sy.request('POST', `/v1/experiments/${experiment.$id}/start`, admin);
  if (flag !== undefined) {
    await sy.request('POST', '/v1/flags', admin, {
      key: flag,
      variants: [
        { key: 'control', value: 'classic' },
        { key: 'compact', value: 'compact-layout' },
        { key: 'bold', value: 'bold-layout' },
      ],
      default: 'control',
      rules: [{ experiment: experiment.$id }],
      enabled: true,
    });
  }
  return experiment.$id;
}

const results = (sy: RunningServer, id: string) =>
  sy.request<Results>('GET', `/v1/experiments/${id}/results`, sy.key('admin'));

/** What a tab exchanged with the server, recorded from the browser's side. */
interface Traffic {
  /** JSON text frames of its WebSockets, each way. */
  received: string[];
  sent: string[];
  /** Bodies of its `POST /v1/events` requests: `?key=` ones are beacons. */
  posts: { beacon: boolean; body: string; answer: Promise<EventsAnswer | undefined> }[];
}

/** Records `tab`'s traffic with the server from now on. */
function recordTraffic(tab: Page): Traffic {
  const traffic: Traffic = { received: [], sent: [], posts: [] };
  tab.on('websocket', (socket) => {
    socket.on('framereceived', (f) => traffic.received.push(String(f.payload)));
    socket.on('framesent', (f) => traffic.sent.push(String(f.payload)));
  });
  tab.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'POST' || url.pathname !== '/v1/events') return;
    traffic.posts.push({
      beacon: url.searchParams.has('key'),
      body: request.postData() ?? '',
      // A beacon's answer may never be seen: the page is gone.
      answer: request.response().then(
        (r) => r?.json() as Promise<EventsAnswer>,
        () => undefined,
      ),
    });
  });
  return traffic;
}

/** Every answer to the events the tab sent: the socket's acks and the HTTP answers seen. */
async function eventAnswers(traffic: Traffic): Promise<EventsAnswer[]> {
  const http = await Promise.all(traffic.posts.map((p) => p.answer));
  const acks = ofType(traffic.received, 'ack') as unknown as EventsAnswer[];
  return [...acks, ...http.filter((a) => a !== undefined)];
}

const ofType = (frames: string[], type: string) =>
  frames.map((f) => JSON.parse(f) as { type: string }).filter((m) => m.type === type);

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

    const tab = await openPage(await browser(ctx), pageUrl(sy));
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
    await openPage(chromium, pageUrl(sy), tab);
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
    const profile = freshProfile();
    onTestFinished(() => rmSync(profile, { recursive: true, force: true }));
    const chromium = await browser(ctx, profile);
    const tab = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    const frames = recordTraffic(tab);
    await openPage(chromium, pageUrl(first), tab);
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
    await until('the queued events in IndexedDB', async () => {
      const stored = await tab.evaluate(() => sdkPage.stored());
      return stored.filter(([k]) => Array.isArray(k) && k[0] === 'event').length === 5;
    });

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
    const left = await tab.evaluate(() => sdkPage.stored());
    expect(left.filter(([k]) => Array.isArray(k) && k[0] === 'event')).toEqual([]);
  });
});
