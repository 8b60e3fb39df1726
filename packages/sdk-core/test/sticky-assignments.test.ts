import { describe, expect, it } from 'vitest';
import { MemoryStickyAssignmentStorage, StickyAssignments } from '../src';
import { testClient } from './support/client';
import { FakeServer } from './support/fake-server';
import { runningExperiment, sampleSnapshot } from './support/fixtures';
import { settle } from './support/seeded-random';

const units = Array.from({ length: 40 }, (_, i) => `user-${i}`);

/** exp1 with new weights that move nearly every unit to `control`. */
const reweighted = () =>
  runningExperiment('exp1', {
    variants: [
      { key: 'control', weight: 99.99 },
      { key: 'treatment', weight: 0.01 },
    ],
  });

async function liveClient(sticky: boolean, storage = new MemoryStickyAssignmentStorage()) {
  const server = new FakeServer(sampleSnapshot());
  const t = testClient(
    { stickyAssignments: sticky ? new StickyAssignments(storage) : undefined },
    {},
    server,
  );
  await t.client.ready();
  await settle();
  return { ...t, storage };
}

describe('sticky assignments', () => {
  it('keep the variant a unit saw when the weights change, for flags and getVariant', async () => {
    const { client, server } = await liveClient(true);
    const before = units.map((u) => client.getVariant('exp1', { userId: u }));
    expect(before).toContain('treatment');
    server.commit([{ kind: 'experiment', key: 'exp1', value: reweighted() }]);
    await settle();
    expect(units.map((u) => client.getVariant('exp1', { userId: u }))).toEqual(before);
    const values = units.map((u) => client.getFlag('checkout', { userId: u }, ''));
    expect(values).toEqual(before.map((v) => (v === 'treatment' ? 'new' : 'old')));
    // A unit that saw nothing before is assigned with the new weights.
    expect(client.getDetails('checkout', { userId: 'newcomer' }, '')).toMatchObject({
      reason: 'SPLIT',
      inExperiment: true,
    });
  });

  it('are off by default: units follow the new weights', async () => {
    const { client, server } = await liveClient(false);
    units.forEach((u) => client.getVariant('exp1', { userId: u }));
    server.commit([{ kind: 'experiment', key: 'exp1', value: reweighted() }]);
    await settle();
    expect(units.map((u) => client.getVariant('exp1', { userId: u }))).not.toContain('treatment');
  });

  it('still let audience and traffic allocation decide who is in', async () => {
    const { client, server } = await liveClient(true);
    units.forEach((u) => client.getVariant('exp1', { userId: u }));
    server.commit([
      {
        kind: 'experiment',
        key: 'exp1',
        value: runningExperiment('exp1', { trafficAllocation: 0 }),
      },
    ]);
    await settle();
    expect(client.getAssignment('exp1', { userId: units[0]! })).toMatchObject({
      variant: null,
      reason: 'TRAFFIC_EXCLUDED',
    });
  });

  it('survive a restart through their storage, and win over a fresh read made before the load', async () => {
    const first = await liveClient(true);
    const treated = units.find(
      (u) => first.client.getVariant('exp1', { userId: u }) === 'treatment',
    )!;
    await first.client.close();
    await settle();
    expect(await first.storage.load()).toContainEqual({
      experiment: 'exp1',
      unit: treated,
      variant: 'treatment',
    });

    const snapshot = sampleSnapshot();
    snapshot.experiments.exp1 = reweighted();
    const server = new FakeServer(snapshot);
    const second = testClient(
      { stickyAssignments: new StickyAssignments(first.storage), bootstrap: snapshot },
      {},
      server,
    );
    const changes: string[][] = [];
    second.client.on('change', (e) => changes.push(e.flags));
    // Read before the kept variants are in: the new weights decide, and nothing is stored.
    expect(second.client.getVariant('exp1', { userId: treated })).toBe('control');
    await settle();
    expect(second.client.getVariant('exp1', { userId: treated })).toBe('treatment');
    expect(changes).toContainEqual(['checkout']);
    expect(await first.storage.load()).toContainEqual({
      experiment: 'exp1',
      unit: treated,
      variant: 'treatment',
    });
  });

  it('give way when the kept variant is gone, and are forgotten when the experiment ends', async () => {
    const { client, server, storage } = await liveClient(true);
    const treated = units.find((u) => client.getVariant('exp1', { userId: u }) === 'treatment')!;
    const withoutTreatment = runningExperiment('exp1', {
      variants: [
        { key: 'control', weight: 50 },
        { key: 'other', weight: 50 },
      ],
    });
    server.commit([{ kind: 'experiment', key: 'exp1', value: withoutTreatment }]);
    await settle();
    const now = client.getVariant('exp1', { userId: treated });
    expect(now).not.toBe('treatment');
    expect(await storage.load()).toContainEqual({
      experiment: 'exp1',
      unit: treated,
      variant: now,
    });

    server.commit([
      { kind: 'experiment', key: 'exp1', value: { ...withoutTreatment, status: 'Stopped' } },
    ]);
    await settle();
    expect(await storage.load()).toEqual([]);
  });
});
