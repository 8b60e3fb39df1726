import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardClient, schemaDecoder, ManualClock } from '@switchyard/sdk-core';
import { createClient, switchyard, toScriptJson } from '../src';
import type { BootstrapPayload } from '../src';
import { nodeSnapshot } from './support/fixtures';

const client = createClient({ offline: true, bootstrap: nodeSnapshot(5) });
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(
    switchyard(client, {
      context: (req: Request) => {
        if (req.header('x-fail')) throw new Error('no context');
        return { userId: req.header('x-user'), email: req.header('x-email') };
      },
    }),
  );
  app.get('/flags', (req, res) => {
    res.json({
      banner: req.flags.isOn('banner'),
      vip: req.flags.isOn('vip-pricing'),
      checkout: req.flags.getFlag('checkout', 'none'),
      variant: req.flags.getVariant('exp1'),
    });
  });
  app.get('/page', (req, res) => {
    res
      .type('html')
      .send(`<script>window.__FLAGS__=${toScriptJson(req.flags.bootstrapPayload())}</script>`);
  });
  app.get('/bootstrap', (req, res) => {
    res.json(req.flags.bootstrapPayload());
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await client.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

describe('switchyard middleware', () => {
  it('binds req.flags to the context of each request', async () => {
    const users = ['alice', 'bob', 'carol', 'dave'];
    for (const user of users) {
      const body = await (await get('/flags', { 'x-user': user })).json();
      expect(body).toEqual({
        banner: true,
        vip: false,
        checkout: client.getFlag('checkout', { userId: user }, 'none'),
        variant: client.getVariant('exp1', { userId: user }),
      });
    }
    const ceo = (await (
      await get('/flags', { 'x-user': 'ceo', 'x-email': 'ceo@example.com' })
    ).json()) as { vip: boolean };
    expect(ceo.vip).toBe(true);
  });

  it('passes a failing context function on to express as an error', async () => {
    expect((await get('/flags', { 'x-fail': '1' })).status).toBe(500);
  });

  it('serves a bootstrap payload without server-only flags or the segments only they use', async () => {
    const payload = (await (
      await get('/bootstrap', { 'x-user': 'alice', 'x-email': 'ceo@example.com' })
    ).json()) as BootstrapPayload;
    expect(Object.keys(payload.config.flags).sort()).toEqual(['banner', 'checkout']);
    expect(payload.config.segments).toEqual({});
    expect(payload.context).toEqual({ userId: 'alice', email: 'ceo@example.com' });
    expect(payload.flags?.checkout?.value).toBe(
      client.getFlag('checkout', { userId: 'alice' }, 'none'),
    );
    expect(JSON.stringify(payload)).not.toContain('ceo@example.com"]');
  });

  it('lets a browser-side client started from the payload render what the server rendered', async () => {
    for (const user of ['u1', 'u2', 'u3', 'ü-ñ-🚀', '12345']) {
      const payload = (await (
        await get('/bootstrap', { 'x-user': encodeURIComponent(user) })
      ).json()) as BootstrapPayload;
      const browserLike = new SwitchyardClient(
        { offline: true, bootstrap: payload, exposures: false },
        { clock: new ManualClock(), random: (n) => new Uint8Array(n), decoder: schemaDecoder },
      );
      const context = payload.context!;
      for (const [key, flag] of Object.entries(payload.flags!)) {
        expect(browserLike.getFlag(key, context, flag.value as never)).toEqual(flag.value);
        expect(client.getFlag(key, context, flag.value as never)).toEqual(flag.value);
      }
    }
  });

  it('embeds the payload in HTML without letting a string close the script', async () => {
    const html = await (
      await get('/page', { 'x-user': '</script><script>alert(1)</script>' })
    ).text();
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const json = html.slice('<script>window.__FLAGS__='.length, -'</script>'.length);
    expect((JSON.parse(json) as BootstrapPayload).context?.userId).toBe(
      '</script><script>alert(1)</script>',
    );
  });
});
