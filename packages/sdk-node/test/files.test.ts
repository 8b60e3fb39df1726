import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, FileEventQueueStorage } from '../src';
import { nodeSnapshot, waitFor } from './support/fixtures';
import { StubServer } from './support/stub-server';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-node-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bootstrap', () => {
  it('starts from a file, with flags before any server answers', async () => {
    const file = join(dir, 'bootstrap.json');
    await writeFile(file, JSON.stringify(nodeSnapshot(8)));
    const client = createClient({ offline: true, bootstrap: { file } });
    expect(client.isReady).toBe(true);
    expect(client.snapshot?.version).toBe(8);
    expect(client.isOn('banner', { userId: 'u' })).toBe(true);
    await client.ready();
  });

  it('reports an unreadable bootstrap file and starts without config', () => {
    const errors: string[] = [];
    const client = createClient({
      offline: true,
      bootstrap: { file: join(dir, 'missing.json') },
      onError: (e) => errors.push(e.code),
    });
    expect(errors).toEqual(['STORAGE']);
    expect(client.isReady).toBe(false);
    expect(client.getFlag('banner', {}, 'default')).toBe('default');
  });
});

describe('config cache on disk', () => {
  it('writes the server config atomically and starts from it while the server is down', async () => {
    const server = new StubServer(nodeSnapshot(12));
    const url = await server.start();
    const file = join(dir, 'config.json');
    const online = createClient({ url, key: 'server-key', configCache: { file } });
    await online.ready({ timeoutMs: 3000 });
    await online.close();
    await server.stop();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      version: 12,
      environment: 'test',
    });

    const restarted = createClient({ offline: true, configCache: { file } });
    await restarted.ready({ timeoutMs: 1000 });
    expect(restarted.snapshot?.version).toBe(12);
    expect(restarted.getFlag('checkout', { userId: 'u' }, '')).toMatch(/old|new/);
  });
});

describe('event queue on disk', () => {
  it('resends, after a crash, the events a killed process had queued', async () => {
    const file = join(dir, 'events.jsonl');
    const script = fileURLToPath(new URL('./support/track-then-crash.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, '25'], {
      stdio: 'pipe',
    });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, output).toBe('SIGKILL');

    const server = new StubServer(nodeSnapshot());
    const url = await server.start();
    const client = createClient({ url, key: 'server-key', eventQueue: { file } });
    try {
      await waitFor(() => server.stored.size === 25);
      const units = [...server.stored.values()].map((e) => e.unit).sort();
      expect(units).toEqual(Array.from({ length: 25 }, (_, i) => `crash-${i}`).sort());
      expect(await client.close({ timeoutMs: 3000 })).toBe(true);
      expect(await new FileEventQueueStorage(file).load()).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 20_000);

  it('skips a line torn by a crash and keeps the others', async () => {
    const file = join(dir, 'events.jsonl');
    const storage = new FileEventQueueStorage(file);
    await storage.load();
    await storage.append([
      { id: 'a', type: 't' },
      { id: 'b', type: 't' },
    ]);
    await storage.remove(['a']);
    await appendFile(file, '{"add":{"id":"c","ty');
    expect(await new FileEventQueueStorage(file).load()).toEqual([{ id: 'b', type: 't' }]);
    // Loading rewrote the log: a later append is not glued to the torn line.
    const again = new FileEventQueueStorage(file);
    await again.load();
    await again.append([{ id: 'd', type: 't' }]);
    expect(await new FileEventQueueStorage(file).load()).toEqual([
      { id: 'b', type: 't' },
      { id: 'd', type: 't' },
    ]);
  });

  it('compacts the log once it has grown well past the live events', async () => {
    const file = join(dir, 'events.jsonl');
    const storage = new FileEventQueueStorage(file, { compactAfterLines: 10 });
    await storage.load();
    for (let i = 0; i < 20; i++) {
      await storage.append([{ id: `e${i}`, type: 't' }]);
      await storage.remove([`e${i}`]);
    }
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(12);
  });
});
