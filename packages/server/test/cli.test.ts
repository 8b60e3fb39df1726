import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/switchyard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output: () => string;
  url: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, INIT_CWD: dir, LOG_LEVEL: 'silent', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${output}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /serving (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, output: () => output, url: match[1]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

describe('switchyard CLI', () => {
  it('prints help', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    expect(await exitCode(child)).toBe(0);
    expect(out).toContain('--db <db>');
    expect(out).toContain('SWITCHYARD_HOOKS');
  });

  it('serves on a SQLite file where it was started, loads hooks, prints keys once, stops on SIGTERM', async () => {
    const hooks = join(dir, 'hooks.ts');
    writeFileSync(
      hooks,
      `export default ($: any) => {
         $.Experiment.created(async (e: any, $$: any) => { await $$.FeatureFlag.create({ key: 'from-' + e.slug }); });
       };\n`,
    );
    const first = await run(['serve', '--hooks', 'hooks.ts'], {
      SWITCHYARD_ADMIN_KEY: 'operator-chosen-admin-key-1',
    });
    expect(first.output()).toContain('shown once');
    expect(first.output()).toMatch(/development client\s+sy_client_/);
    expect(first.output()).not.toContain('operator-chosen-admin-key-1');
    expect(existsSync(join(dir, 'switchyard.db'))).toBe(true);
    const admin = {
      authorization: 'Bearer operator-chosen-admin-key-1',
      'content-type': 'application/json',
    };
    const created = await fetch(`${first.url}/v1/experiments`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'CLI test',
        variants: [
          { key: 'a', weight: 1 },
          { key: 'b', weight: 1 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const flag = await fetch(`${first.url}/v1/flags/from-cli-test`, { headers: admin });
    expect(flag.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await exitCode(first.child)).toBe(0);

    const second = await run(['serve']);
    expect(second.output()).not.toContain('shown once');
    const again = await fetch(`${second.url}/v1/experiments`, { headers: admin });
    expect(((await again.json()) as { total: number }).total).toBe(1);
    second.child.kill('SIGINT');
    expect(await exitCode(second.child)).toBe(0);
  }, 40_000);

  it('refuses a bad port with a message', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'eighty', '--db', ':memory:'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    expect(await exitCode(child)).toBe(1);
    expect(err).toContain("'eighty' is not a port number");
  });
});
