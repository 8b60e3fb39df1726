import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../reliability/support/server-process';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `pnpm example:auto`'s program (tsx) to its end; answers its exit code and output. */
function runExample(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/auto-conclude.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise<{ code: number | null; lines: string[]; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, lines: out.trim().split('\n'), err })),
  );
}

// Two processes, as a user runs them: `switchyard serve` on a SQLite file (what `pnpm start`
// runs) and the example (what `pnpm example:auto` runs), on the real clock.
describe('examples/auto-conclude.ts', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'example-auto-'));
    server = await ServerProcess.start(join(dir, 'switchyard.db'));
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the server conclude the experiment from simulated users, and the hook roll out the winner', async () => {
    const environment = 'auto-example-test';
    const run = await runExample({
      SWITCHYARD_URL: server.url,
      SWITCHYARD_ADMIN_KEY: server.adminKey,
      SWITCHYARD_ENVIRONMENT: environment,
    });
    expect(run.code, `${run.lines.join('\n')}\n${run.err}`).toBe(0);
    expect(run.lines[0]).toBe(`environment ${environment}`);
    expect(run.lines.at(-1)).toBe('done');
    expect(run.lines.find((l) => l.startsWith('concluded'))).toMatch(/winner simplified/);
    expect(run.lines).toContainEqual(
      expect.stringMatching(/^hook made featureflag_\w+: simplified enabled at 10%$/),
    );
    expect(run.lines.filter((l) => /^ {2}step \d: /.test(l))).toHaveLength(3);

    const log = await server.ok('GET', `/v1/log?environment=${environment}&limit=1000`);
    const types = (log.data as { type: string; actor: string }[]).map((e) => e.type);
    const seed = [
      'experiment.created',
      'experiment.started',
      'event.created',
      'experiment.concluded',
      'featureflag.created',
      'featureflag.enabled',
    ];
    expect(types.filter((t) => seed.includes(t))).toEqual(seed);
    const concluded = (log.data as { type: string; actor: string }[]).find(
      (e) => e.type === 'experiment.concluded',
    );
    expect(concluded!.actor).toBe('system:auto-conclude');
    expect(types).toContain('workflow.created');
  }, 60_000);
});
