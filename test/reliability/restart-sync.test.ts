import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResumingClient } from './support/resuming-client';
import { ServerProcess } from './support/server-process';

const CLIENTS = 200;

let dir: string;
let server: ServerProcess;
const clients: ResumingClient[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-restart-'));
  server = await ServerProcess.start(join(dir, 'switchyard.db'));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const FLAG = {
  type: 'boolean',
  variants: [
    { key: 'on', value: true },
    { key: 'off', value: false },
  ],
  default: 'on',
  offVariant: 'off',
  enabled: true,
};

async function latest(key: string): Promise<{ version: number }> {
  return server.ok('GET', '/v1/config', undefined, key);
}

async function allReach(version: number): Promise<void> {
  await Promise.all(clients.map((c) => c.reach(version)));
}

describe('restarting the server under connected clients', () => {
  it('brings all 200 clients back, at the latest version, after a graceful restart and a crash', async () => {
    const key = await server.key('server');
    const flag = (await server.ok('POST', '/v1/flags', { ...FLAG, key: 'checkout' })).$id as string;
    await server.ok('POST', '/v1/flags', { ...FLAG, key: 'banner' });
    for (let i = 0; i < CLIENTS; i++) clients.push(new ResumingClient(server.url, key));
    clients.forEach((c) => c.start());
    await allReach((await latest(key)).version);

    await server.ok('POST', `/v1/flags/${flag}/rollout`, { percent: 10 });
    const before = (await latest(key)).version;
    await allReach(before);

    // Graceful: the server says 1001 going away; clients come back with `since` = their version.
    await server.stop();
    await server.start();
    await Promise.all(clients.map((c) => waitFor(() => c.answers.length >= 2)));
    for (const c of clients) {
      // The version of unchanged content survives the restart: nothing to send but "up to date".
      expect(c.answers[1]).toEqual({ type: 'delta', from: before, to: before, changes: [] });
    }
    await server.ok('POST', `/v1/flags/${flag}/rollout`, { percent: 50 });
    await allReach((await latest(key)).version);

    // A crash: sockets just drop; clients reconnect as soon as the server is back.
    await server.kill();
    await server.start();
    await server.ok('POST', `/v1/flags/${flag}/rollout`, { percent: 90 });
    const config = await latest(key);
    await allReach(config.version);
    for (const c of clients) {
      expect(c.snapshot).toEqual(config);
      expect(c.connections).toBeGreaterThanOrEqual(3);
      expect(c.problems).toEqual([]);
    }
  });
});

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
