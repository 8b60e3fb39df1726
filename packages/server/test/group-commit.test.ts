import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/ingest/group-commit';
import { RateLimiter } from '../src/ingest/rate-limiter';

describe('GroupCommit', () => {
  it('writes what arrives together in one group, and what arrives during a write in the next', async () => {
    const groups: number[][] = [];
    let release: (() => void) | undefined;
    const commits = new GroupCommit<number, string>(async (items) => {
      groups.push(items);
      if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((i) => `done ${i}`);
    });
    const first = [1, 2, 3].map((i) => commits.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [4, 5].map((i) => commits.submit(i));
    expect(commits.backlog).toBe(2);
    release!();
    expect(await Promise.all([...first, ...later])).toEqual(
      [1, 2, 3, 4, 5].map((i) => `done ${i}`),
    );
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('caps a group by weight (but takes one heavy item alone) and fails a whole group together', async () => {
    const groups: number[][] = [];
    const commits = new GroupCommit<number, number>(
      async (items) => {
        groups.push(items);
        if (items.includes(9)) throw new Error('disk full');
        return items;
      },
      { weight: (i) => i, maxWeight: 10 },
    );
    const results = await Promise.allSettled([4, 5, 3, 20, 9, 1].map((i) => commits.submit(i)));
    expect(groups).toEqual([[4, 5], [3], [20], [9, 1]]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    await commits.drain();
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then refills at the rate, per name', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 20 }, () => now);
    expect(limiter.take('a', 20)).toBe(0);
    expect(limiter.take('a', 5)).toBe(500);
    expect(limiter.take('b', 5)).toBe(0);
    now += 500;
    expect(limiter.take('a', 5)).toBe(0);
    expect(limiter.take('a', 1)).toBe(100);
    // More than the burst is charged as the burst: it passes once the bucket is full.
    now += 10_000;
    expect(limiter.take('a', 500)).toBe(0);
  });

  it('hands the writer up to inFlight groups before the first commits, and settles each with its own', async () => {
    const groups: number[][] = [];
    const releases: (() => void)[] = [];
    const commits = new GroupCommit<number, number>(
      async (items) => {
        groups.push(items);
        await new Promise<void>((resolve) => releases.push(resolve));
        return items.map((i) => i * 10);
      },
      { inFlight: 2 },
    );
    const first = commits.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = commits.submit(2);
    await new Promise((resolve) => setImmediate(resolve));
    const third = [3, 4].map((i) => commits.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([[1], [2]]); // the third waits for a free place
    expect(commits.backlog).toBe(2);
    releases[0]!();
    expect(await first).toBe(10);
    expect(groups).toEqual([[1], [2], [3, 4]]);
    releases[1]!();
    releases[2]!();
    expect(await Promise.all([second, ...third])).toEqual([20, 30, 40]);
    await commits.drain();
  });
});
