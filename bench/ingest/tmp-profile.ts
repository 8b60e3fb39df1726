// TEMPORARY (not committed): profile the server under the bench's load.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { makeBatches } from './event-batches';
import { runHttpLoad } from './http-load';

const port = 4599;
const admin = 'bench-admin-' + randomBytes(8).toString('hex');
const dir = '/tmp/ingprof';
const child = spawn(
  process.execPath,
  [
    ...(process.env.PROF ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    '../packages/server/bin/switchyard.mjs',
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--db',
    `${dir}/db-${Date.now()}.sqlite`,
  ],
  {
    env: { ...process.env, SWITCHYARD_ADMIN_KEY: admin, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const url = `http://127.0.0.1:${port}`;
for (;;) {
  try {
    if ((await fetch(url + '/healthz')).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 200));
}
const req = async (m: string, p: string, b?: unknown, k = admin) =>
  (
    await fetch(url + p, {
      method: m,
      headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
      body: b === undefined ? undefined : JSON.stringify(b),
    })
  ).json() as any;
const key = (await req('POST', '/v1/keys', { kind: 'server', environment: 'development' })).secret;
const exp = (
  await req('POST', '/v1/experiments', {
    name: 'x',
    variants: [
      { key: 'control', weight: 50 },
      { key: 'simplified', weight: 50 },
    ],
    metric: 'onboarding.completed',
  })
).$id;
await req('POST', `/v1/experiments/${exp}/start`, {});
const N = Number(process.env.N ?? 200000);
const batches = makeBatches({
  experiment: exp,
  variants: ['control', 'simplified'],
  metric: 'onboarding.completed',
  batches: N / 500,
  batchSize: 500,
  users: 20000,
});
const bodies = batches.map((events, i) => JSON.stringify({ batchId: `b-${i}`, events }));
const r = await runHttpLoad({
  url: url + '/v1/events',
  key,
  bodies,
  connections: 16,
  maxSeconds: 30,
});
const lat = r.latenciesMs.sort((a, b) => a - b);
console.log(
  `${r.accepted} accepted in ${r.seconds.toFixed(2)} s = ${(r.accepted / r.seconds).toFixed(0)}/s; p50 ${lat[Math.floor(lat.length * 0.5)]?.toFixed(0)} p99 ${lat[Math.floor(lat.length * 0.99)]?.toFixed(0)} ms; failed ${r.failed} ${r.errors[0] ?? ''}`,
);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
