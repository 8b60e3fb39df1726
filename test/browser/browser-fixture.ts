// What the browser SDK tests share: a server and a Chromium per test, the test page's URL, and
// readings of what reached the server and what the page exchanged with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import type { TestContext } from 'vitest';
import { freshProfile, requireChromium } from '../support/chromium';
import type { Chromium } from '../support/chromium';
import type { PageServer } from '../support/page-server';
import { startSwitchyard } from '../support/switchyard-server';
import type { RunningServer, SwitchyardStart } from '../support/switchyard-server';

/** An event the server stored, as `GET /v1/events` lists it. */
export interface StoredEvent {
  id: string;
  type: string;
  unit: string | null;
  properties: Record<string, unknown>;
}
/** One variant in `GET /v1/experiments/:id/results` (the part the tests read). */
export interface VariantResult {
  key: string;
  units: number;
  mean: number | null;
}
/** `GET /v1/experiments/:id/results` (the part the tests read). */
export interface Results {
  totalUnits: number;
  variants: VariantResult[];
}
/** The answer of `POST /v1/events` and the socket's `ack`. */
export interface EventsAnswer {
  accepted: number;
  duplicates: number;
}

/** A temporary directory for this test, removed after it. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-browser-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A browser profile for this test to launch Chromium on more than once (IndexedDB carries over),
 * removed after it.
 */
export function keptProfile(): string {
  const profile = freshProfile();
  onTestFinished(() => rmSync(profile, { recursive: true, force: true }));
  return profile;
}

/** A server on `db` (closed after the test unless the test closes it). */
export async function serve(db: string, start: SwitchyardStart = {}): Promise<RunningServer> {
  const sy = await startSwitchyard({ db, ...start });
  let closed = false;
  const close = sy.close;
  sy.close = () => ((closed = true), close());
  onTestFinished(() => (closed ? undefined : close()));
  return sy;
}

/** Chromium on `profile` (else a fresh one), closed after the test; skips locally without one. */
export async function browser(context: TestContext, profile?: string): Promise<Chromium> {
  const chromium = await requireChromium('the browser SDK test', profile);
  if (!chromium) context.skip('no Chromium');
  onTestFinished(() => chromium.close());
  return chromium;
}

/**
 * The test page (served at `pages`) for a client of `sy` with its client key, whose events wait
 * up to `flushMs` before they are sent (default 100).
 */
export function pageUrl(pages: PageServer, sy: RunningServer, flushMs?: number): string {
  const query = new URLSearchParams({ server: sy.url, key: sy.key('client') });
  if (flushMs !== undefined) query.set('flushMs', String(flushMs));
  return `${pages.url}/?${query}`;
}

/** The browser's tab (its first one), with the test page loaded from `url`. */
export async function openPage(chromium: Chromium, url: string, tab?: Page): Promise<Page> {
  const page = tab ?? chromium.context.pages()[0] ?? (await chromium.context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => 'sdkPage' in globalThis);
  return page;
}

/** Stored events of `type`, through the admin API. */
export async function storedEvents(sy: RunningServer, type: string): Promise<StoredEvent[]> {
  const filter = encodeURIComponent(JSON.stringify({ type }));
  const found = await sy.request<{ data: StoredEvent[] }>(
    'GET',
    `/v1/events?filter=${filter}&limit=1000`,
    sy.key('admin'),
  );
  return found.data;
}

/** A running experiment with a count metric over `event`, and the flag that serves it. */
export async function countedExperiment(sy: RunningServer, event: string, flag?: string) {
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

export const results = (sy: RunningServer, id: string) =>
  sy.request<Results>('GET', `/v1/experiments/${id}/results`, sy.key('admin'));

/** What a tab exchanged with the server, recorded from the browser's side. */
export interface Traffic {
  /** JSON text frames of its WebSockets, each way. */
  received: string[];
  sent: string[];
  /** Its `POST /v1/events` requests with a header key (playwright does not see unload beacons). */
  posts: { body: string; answer: Promise<EventsAnswer | undefined> }[];
}

/** Records `tab`'s traffic with the server from now on. */
export function recordTraffic(tab: Page): Traffic {
  const traffic: Traffic = { received: [], sent: [], posts: [] };
  tab.on('websocket', (socket) => {
    socket.on('framereceived', (f) => traffic.received.push(String(f.payload)));
    socket.on('framesent', (f) => traffic.sent.push(String(f.payload)));
  });
  tab.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'POST' || url.pathname !== '/v1/events') return;
    traffic.posts.push({
      body: request.postData() ?? '',
      answer: request.response().then(
        (r) => r?.json() as Promise<EventsAnswer>,
        () => undefined,
      ),
    });
  });
  return traffic;
}

/** Every answer to the events the tab sent: the socket's acks and the HTTP answers seen. */
export async function eventAnswers(traffic: Traffic): Promise<EventsAnswer[]> {
  const http = await Promise.all(traffic.posts.map((p) => p.answer));
  const acks = ofType(traffic.received, 'ack') as unknown as EventsAnswer[];
  return [...acks, ...http.filter((a) => a !== undefined)];
}

/** The beacons the server received: `POST /v1/events?key=` (a beacon cannot set headers). */
export const beaconsTo = (sy: RunningServer) =>
  sy.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/events?key='));

/** The messages of `type` among JSON text frames. */
export const ofType = (frames: string[], type: string) =>
  frames.map((f) => JSON.parse(f) as { type: string }).filter((m) => m.type === type);

/** How many events the page's SDK keeps in IndexedDB (`['event', …]` entries). */
export async function eventsInIndexedDb(tab: Page): Promise<number> {
  const stored = await tab.evaluate(() => sdkPage.stored());
  return stored.filter(([k]) => Array.isArray(k) && k[0] === 'event').length;
}

/**
 * In the page: reads the page user's variant of `experiment` (an exposure), then tracks `count`
 * events of `type`. Answers the ids of the unsent events, the exposure first.
 */
export function exposeAndTrack(
  tab: Page,
  experiment: string,
  type: string,
  count: number,
): Promise<string[]> {
  return tab.evaluate(
    ({ experiment, type, count }) => {
      const { client, context } = sdkPage;
      client.getVariant(experiment, context);
      for (let n = 1; n <= count; n++) client.track(type, context, { n });
      return client.unsentEvents().map((e) => e.id);
    },
    { experiment, type, count },
  );
}
