import { describe, expect, it } from 'vitest';
import { idbStickyStorage, stickyAssignments } from '../src/sticky';
import {
  browserClient,
  FakeServer,
  freshKey,
  runningExperiment,
  sampleSnapshot,
  until,
} from './support/harness';

const units = Array.from({ length: 40 }, (_, i) => `visitor-${i}`);
const reweighted = runningExperiment('exp1', {
  variants: [
    { key: 'control', weight: 99.99 },
    { key: 'treatment', weight: 0.01 },
  ],
});

describe('sticky assignments in IndexedDB', () => {
  it('keep the variant a visitor saw across a reload after the weights changed', async () => {
    const server = new FakeServer(sampleSnapshot());
    const key = freshKey(server);
    const first = browserClient(server, { key, stickyAssignments: stickyAssignments() });
    await first.client.ready();
    const seen = units.map((u) => first.client.getFlag('checkout', { userId: u }, ''));
    expect(seen).toContain('new');
    await until(async () => (await idbStickyStorage(key).load()).length === units.length);
    await first.client.close();

    server.commit([{ kind: 'experiment', key: 'exp1', value: reweighted }]);
    const second = browserClient(server, { key, stickyAssignments: stickyAssignments() });
    // It starts from the cached config; the server's delta brings the new weights.
    await until(() => second.client.snapshot?.version === 2);
    expect(second.client.snapshot?.experiments.exp1).toEqual(reweighted);
    expect(units.map((u) => second.client.getFlag('checkout', { userId: u }, ''))).toEqual(seen);

    // Without sticky assignments the same visitors follow the new weights.
    const plain = browserClient(server, { key: freshKey(server) });
    await until(() => plain.client.snapshot?.version === 2);
    expect(units.map((u) => plain.client.getFlag('checkout', { userId: u }, ''))).not.toContain(
      'new',
    );
    await Promise.all([second.client.close(), plain.client.close()]);
  });

  it('are forgotten, in IndexedDB too, once the experiment is concluded', async () => {
    const server = new FakeServer(sampleSnapshot());
    const key = freshKey(server);
    const { client } = browserClient(server, { key, stickyAssignments: stickyAssignments() });
    await client.ready();
    client.getVariant('exp1', { userId: 'v1' });
    await until(async () => (await idbStickyStorage(key).load()).length === 1);
    server.commit([
      {
        kind: 'experiment',
        key: 'exp1',
        value: { ...runningExperiment('exp1'), status: 'Concluded', winner: 'control' },
      },
    ]);
    await until(async () => (await idbStickyStorage(key).load()).length === 0);
    expect(client.getVariant('exp1', { userId: 'v1' })).toBe('control');
    await client.close();
  });
});
