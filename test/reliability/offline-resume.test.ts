import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeltaMessage } from '@switchyard/core/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResumingClient } from './support/resuming-client';
import { ServerProcess } from './support/server-process';

/** Steps the server keeps per environment by default (RealtimeOptions.historySize). */
const HISTORY = 256;

let dir: string;
let server: ServerProcess;
let key: string;
let flags: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-offline-'));
  server = await ServerProcess.start(join(dir, 'switchyard.db'));
  key = await server.key('client');
  flags = [];
  for (const name of ['a', 'b', 'c', 'd', 'e']) {
    const created = await server.ok('POST', '/v1/flags', {
      key: name,
      type: 'boolean',
      variants: [
        { key: 'on', value: true },
        { key: 'off', value: false },
      ],
      default: 'on',
      enabled: true,
    });
    flags.push(created.$id);
  }
});
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** `n` changes through REST, spread over the flags. */
async function change(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await server.ok('POST', `/v1/flags/${flags[i % flags.length]}/rollout`, { percent: i % 101 });
  }
}

async function offlineThrough(changes: number): Promise<ResumingClient> {
  const client = new ResumingClient(server.url, key);
  client.start();
  await client.reach((await server.ok('GET', '/v1/config', undefined, key)).version);
  client.disconnect();
  await change(changes);
  client.start();
  const config = await server.ok('GET', '/v1/config', undefined, key);
  await client.reach(config.version);
  expect(client.snapshot).toEqual(config);
  client.close();
  return client;
}

describe('a client that was offline', () => {
  it('resumes through 50 changes with one delta from its version', async () => {
    const client = await offlineThrough(50);
    const [first, resumed] = client.answers;
    expect(first!.type).toBe('snapshot');
    expect(resumed!.type).toBe('delta');
    const delta = resumed as DeltaMessage;
    expect(delta.from).toBe((first as { version: number }).version);
    // Fifty rollouts of five flags: one change per flag, each flag's last state.
    expect(delta.changes.map((c) => c.key).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(client.problems).toEqual([]);
  });

  it(`resumes with a snapshot when it missed more than the ${HISTORY} changes the server keeps`, async () => {
    const client = await offlineThrough(HISTORY + 20);
    expect(client.answers.map((a) => a.type)).toEqual(['snapshot', 'snapshot']);
    expect(client.problems).toEqual([]);
  });
});
