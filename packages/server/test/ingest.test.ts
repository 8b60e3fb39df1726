import { randomBytes } from 'node:crypto';
import { EXPOSURE_EVENT, MAX_BATCH_EVENTS, uuidv7 } from '@switchyard/core';
import type { AckMessage, ErrorMessage } from '@switchyard/core/schema';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../src/server';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { StreamClient } from './support/stream-client';

let t: TestServer;
afterEach(async () => {
  await t?.close();
});

async function start(options: ServerOptions = {}): Promise<TestServer> {
  t = await startServer({ webhooks: false, scheduler: false, ...options });
  return t;
}

const id = () => uuidv7(Date.now(), randomBytes(10));

async function runningExperiment(metric = 'signup'): Promise<string> {
  const created = await t.api('POST', '/v1/experiments', {
    name: 'Checkout',
    variants: [
      { key: 'control', weight: 50 },
      { key: 'treatment', weight: 50 },
    ],
    metric,
  });
  expect(created.status).toBe(201);
  expect((await t.api('POST', `/v1/experiments/${created.body.$id}/start`, {})).status).toBe(200);
  return created.body.$id;
}

function post(body: unknown, key: string) {
  return t.api('POST', '/v1/events', body, key);
}

describe('POST /v1/events', () => {
  it('stores a batch once: a retry of the same ids answers duplicates', async () => {
    await start();
    const events = [
      { id: id(), type: 'page_view', unit: 'u1' },
      { id: id(), type: 'page_view', unit: 'u2', properties: { path: '/' } },
    ];
    const first = await post({ batchId: 'b1', events }, t.key('server'));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ batchId: 'b1', accepted: 2, duplicates: 0, rejected: [] });
    const retry = await post({ batchId: 'b1', events }, t.key('client'));
    expect(retry.body).toEqual({ batchId: 'b1', accepted: 0, duplicates: 2, rejected: [] });
    const stored = await t.api('GET', `/v1/events/${events[1]!.id}`);
    expect(stored.body).toMatchObject({ type: 'page_view', unit: 'u2', properties: { path: '/' } });
  });

  it('refuses bad events one by one, with index, id and reason, and keeps the good ones', async () => {
    await start();
    const good = { id: id(), type: 'ok' };
    const answer = await post(
      {
        events: [
          { id: 'e-1', type: EXPOSURE_EVENT, unit: 'u' },
          good,
          { type: 'no id' },
          { id: 'e-3', type: 'x', timestamp: 'yesterday' },
          good,
        ],
      },
      t.key('server'),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.batchId).toEqual(expect.any(String));
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.duplicates).toBe(1);
    expect(answer.body.rejected).toEqual([
      { index: 0, id: 'e-1', code: 'invalid_event', message: expect.any(String) },
      { index: 2, code: 'invalid_event', message: expect.stringContaining('id') },
      { index: 3, id: 'e-3', code: 'invalid_event', message: expect.stringContaining('timestamp') },
    ]);
    expect((await t.api('GET', '/v1/events/e-1')).status).toBe(404);
  });

  it(`answers 413 above ${MAX_BATCH_EVENTS} events and 400 for a body that is not a batch`, async () => {
    await start();
    const events = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({ id: id(), type: 'x' }));
    const tooMany = await post({ events }, t.key('server'));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('too_many_events');
    expect((await post({ events: 'nope' }, t.key('server'))).status).toBe(400);
    expect((await t.raw('POST', '/v1/events', '{"events": [', t.key('server'))).status).toBe(400);
  });

  it('takes a sendBeacon batch: a client key in ?key= and a text/plain body', async () => {
    await start();
    const events = [{ id: id(), type: 'unload', unit: 'u1' }];
    const beacon = (key: string) =>
      fetch(`${t.url}/v1/events?key=${encodeURIComponent(key)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ batchId: 'beacon', events }),
      });
    const answer = await beacon(t.key('client'));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ batchId: 'beacon', accepted: 1 });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    // A server key is a secret: never in a URL.
    expect((await beacon(t.key('server'))).status).toBe(403);
    expect((await beacon('sy_client_unknown')).status).toBe(401);
  });

  it('answers a CORS preflight without a key', async () => {
    await start();
    const answer = await fetch(`${t.url}/v1/events`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(answer.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('still creates one event with an admin key (Event.create), and refuses no key', async () => {
    await start();
    const created = await post({ id: 'admin-1', type: 'backfill' }, t.admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'admin-1', type: 'backfill' });
    expect((await post({ events: [] }, null as unknown as string)).status).toBe(401);
  });

  it('answers 429 with Retry-After past the key rate, and stores nothing of that batch', async () => {
    await start({ realtime: { rateLimit: { perSecond: 1, burst: 3 } } });
    const first = await post(
      { events: [1, 2, 3].map(() => ({ id: id(), type: 'x' })) },
      t.key('server'),
    );
    expect(first.status).toBe(200);
    const refused = { id: id(), type: 'x' };
    const limited = await post({ events: [refused] }, t.key('server'));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.api('GET', `/v1/events/${refused.id}`)).status).toBe(404);
    // Buckets are per key.
    expect((await post({ events: [{ id: id(), type: 'x' }] }, t.key('client'))).status).toBe(200);
  });

  it('counts exposures and conversions into the results', async () => {
    await start();
    const experiment = await runningExperiment('signup');
    const exposures = ['u1', 'u2', 'u3', 'u4'].map((unit, i) => ({
      id: id(),
      type: EXPOSURE_EVENT,
      unit,
      properties: { experiment, variant: i % 2 ? 'treatment' : 'control' },
    }));
    await post({ events: exposures }, t.key('client'));
    const conversions = ['u1', 'u2', 'u2', 'u4', 'u9'].map((unit) => ({
      id: id(),
      type: 'signup',
      unit,
    }));
    await post({ events: conversions }, t.key('client'));
    const results = await t.api('GET', `/v1/experiments/${experiment}/results`);
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({
      experiment,
      metricName: 'signup',
      metric: 'conversion',
      totalUnits: 4,
    });
    const byKey = Object.fromEntries(results.body.variants.map((v: { key: string }) => [v.key, v]));
    expect(byKey.control).toMatchObject({ units: 2, conversions: 1 });
    expect(byKey.treatment).toMatchObject({ units: 2, conversions: 2 });
  });
});

describe('Event.create', () => {
  it('counts an event made through the management API like one an SDK sent, once', async () => {
    await start();
    const experiment = await runningExperiment('onboarding.completed');
    const seed = {
      id: 'seed-1',
      type: 'onboarding.completed',
      unit: 'u1',
      properties: { experiment, variant: 'treatment', duration: 45 },
    };
    expect((await post(seed, t.admin)).status).toBe(201);
    expect((await post(seed, t.admin)).status).toBe(201);
    // The SDK path sees it as stored.
    expect((await post({ events: [seed] }, t.key('server'))).body.duplicates).toBe(1);
    const results = await t.api('GET', `/v1/experiments/${experiment}/results`);
    const treatment = results.body.variants.find((v: { key: string }) => v.key === 'treatment');
    expect(treatment).toMatchObject({ units: 1, conversions: 1 });
  });
});

describe('events on the stream', () => {
  it('acks a batch with the same counts, refuses bad ones per event, and rate-limits per key', async () => {
    await start({ realtime: { rateLimit: { perSecond: 1, burst: 4 } } });
    const c = await StreamClient.connect(t.url, t.key('server'));
    try {
      const events = [{ id: id(), type: 'a' }, { id: id(), type: 'b' }, { nope: true }];
      c.send({ type: 'events', batchId: 's1', events });
      const ack = (await c.next((m) => m.type === 'ack')) as AckMessage;
      expect(ack).toEqual({
        type: 'ack',
        batchId: 's1',
        accepted: 2,
        duplicates: 0,
        rejected: [{ index: 2, code: 'invalid_event', message: expect.any(String) }],
      });
      c.send({ type: 'events', batchId: 's2', events: events.slice(0, 1) });
      expect(await c.next((m) => m.type === 'ack')).toMatchObject({ batchId: 's2', duplicates: 1 });
      c.send({ type: 'events', batchId: 's3', events: events.slice(0, 1) });
      expect(await c.next((m) => m.type === 'error')).toMatchObject({
        code: 'rate_limited',
        batchId: 's3',
      });
      const tooMany = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({ id: 'x', type: 'x' }));
      c.send({ type: 'events', batchId: 's4', events: tooMany });
      const error = (await c.next((m) => m.type === 'error')) as ErrorMessage;
      expect(error).toMatchObject({ code: 'too_large', batchId: 's4' });
      expect(c.socket.readyState).toBe(c.socket.OPEN);
    } finally {
      c.socket.terminate();
    }
  });
});
