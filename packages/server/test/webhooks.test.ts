import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/webhooks/signature';
import type { TestServer } from './support/server';
import { startServer } from './support/server';
import { ONBOARDING } from './support/switchyard';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver that fails the first `failures` attempts of each delivery. */
class Receiver {
  readonly received: Received[] = [];
  failures = 0;
  private readonly attempts = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  async start() {
    this.server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const id = String(req.headers['x-switchyard-delivery']);
        const n = (this.attempts.get(id) ?? 0) + 1;
        this.attempts.set(id, n);
        this.received.push({ headers: req.headers, body });
        res.statusCode = n <= this.failures ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  delivered(): Received[] {
    const ok = new Map<string, Received>();
    for (const r of this.received) ok.set(String(r.headers['x-switchyard-delivery']), r);
    return [...ok.values()];
  }

  close() {
    return new Promise<void>((r) => this.server!.close(() => r()));
  }
}

async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const FAST = { retry: { attempts: 4, baseMs: 20, maxMs: 80 }, pollMs: 20, timeoutMs: 2000 };
const SECRET = 'whsec_test_secret_0123456789';

let receiver: Receiver;
let t: TestServer;
beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
});
afterAll(async () => {
  await receiver.close();
});
afterEach(async () => {
  await t?.close();
  receiver.received.length = 0;
  receiver.failures = 0;
});

describe('webhooks', () => {
  it('delivers subscribed events, signed with HMAC-SHA256 over "t.body"', async () => {
    t = await startServer({ webhooks: FAST });
    const hook = await t.api('POST', '/v1/webhooks', {
      url: receiver.url,
      events: ['experiment.*'],
      secret: SECRET,
    });
    expect(hook.status).toBe(201);
    const experiment = await t.api('POST', '/v1/experiments', ONBOARDING);
    await t.api('POST', '/v1/flags', { key: 'not-subscribed' });
    await t.api('POST', `/v1/experiments/${experiment.body.$id}/start`);
    const got = await until(() =>
      receiver.delivered().length >= 2 ? receiver.delivered() : undefined,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.delivered()).toHaveLength(2);
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.type, b.payload])).toEqual([
      ['experiment.created', { $id: experiment.body.$id, variants: 2 }],
      ['experiment.started', { status: 'Running' }],
    ]);
    expect(bodies[1]).toMatchObject({
      entityId: experiment.body.$id,
      environment: 'development',
      webhook: hook.body.$id,
    });
    for (const r of got) {
      const header = String(r.headers['x-switchyard-signature']);
      expect(verifySignature(header, SECRET, r.body, new Date())).toBe(true);
      expect(verifySignature(header, 'whsec_wrong_secret_00000000', r.body, new Date())).toBe(
        false,
      );
      expect(verifySignature(header, SECRET, `${r.body} `, new Date())).toBe(false);
      const [, t1, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
      expect(createHmac('sha256', SECRET).update(`${t1}.${r.body}`).digest('hex')).toBe(v1);
      expect(r.headers['x-switchyard-event']).toBe(JSON.parse(r.body).type);
    }
  });

  it('retries a failing receiver with backoff and records the attempts', async () => {
    t = await startServer({ webhooks: FAST });
    receiver.failures = 2;
    const hook = await t.api('POST', '/v1/webhooks', {
      url: receiver.url,
      events: ['featureflag.created'],
    });
    await t.api('POST', '/v1/flags', { key: 'retried' });
    const delivery = await until(async () => {
      const list = await t.api('GET', `/v1/webhooks/${hook.body.$id}/deliveries`);
      return list.body.data[0]?.status === 'delivered' ? list.body.data[0] : undefined;
    });
    expect(delivery).toMatchObject({
      eventType: 'featureflag.created',
      attempts: 3,
      lastStatus: 204,
    });
    const stamps = receiver.received.map((r) => r.headers['x-switchyard-delivery']);
    expect(new Set(stamps).size).toBe(1);
    expect(receiver.received).toHaveLength(3);
  });

  it('gives up after the last attempt and marks the delivery failed', async () => {
    t = await startServer({ webhooks: FAST });
    const hook = await t.api('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/closed',
      events: ['*'],
    });
    await t.api('POST', '/v1/segments', { key: 's', condition: {} });
    const delivery = await until(async () => {
      const list = await t.api('GET', `/v1/webhooks/${hook.body.$id}/deliveries`);
      return list.body.data[0]?.status === 'failed' ? list.body.data[0] : undefined;
    });
    expect(delivery.attempts).toBe(4);
    expect(delivery.lastError).toEqual(expect.any(String));
    expect((await t.api('GET', '/v1/webhooks/webhook_nope/deliveries')).status).toBe(404);
  });

  it('loses no event across a restart: delivery is driven from the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-webhooks-'));
    try {
      const db = join(dir, 'switchyard.db');
      t = await startServer({ db, webhooks: false });
      const admin = t.admin;
      await t.api('POST', '/v1/webhooks', { url: receiver.url, events: ['segment.created'] });
      await t.api('POST', '/v1/segments', { key: 'a', condition: {} });
      await t.api('POST', '/v1/segments', { key: 'b', condition: {} });
      await t.close();
      expect(receiver.received).toHaveLength(0);
      const { createServer } = await import('../src/server');
      const restarted = await createServer({ db, logger: false, webhooks: FAST });
      t = { close: () => restarted.close() } as TestServer;
      const got = await until(() =>
        receiver.delivered().length >= 2 ? receiver.delivered() : undefined,
      );
      expect(got.map((r) => JSON.parse(r.body).state.key)).toEqual(['a', 'b']);
      expect(admin).toMatch(/^sy_admin_/);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
