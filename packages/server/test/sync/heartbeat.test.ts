import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_TICK_MS, Heartbeat } from '../../src/sync/heartbeat';

afterEach(() => {
  vi.useRealTimers();
});

/** A heartbeat over `members` numbered members, and the times each was visited at. */
function watched(periodMs: number, members: number) {
  const visits = new Map<number, number[]>();
  const heartbeat = new Heartbeat<number>(periodMs, (m) => {
    const at = visits.get(m) ?? [];
    at.push(Date.now());
    visits.set(m, at);
  });
  for (let m = 0; m < members; m++) heartbeat.add(m);
  return { heartbeat, visits };
}

describe('Heartbeat', () => {
  it('visits each member once per period, a slice per tick', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, visits } = watched(30_000, 5000);
    heartbeat.start();
    let largestSlice = 0;
    for (let t = 0; t < 60_000; t += HEARTBEAT_TICK_MS) {
      const before = [...visits.values()].reduce((n, at) => n + at.length, 0);
      vi.advanceTimersByTime(HEARTBEAT_TICK_MS);
      const after = [...visits.values()].reduce((n, at) => n + at.length, 0);
      largestSlice = Math.max(largestSlice, after - before);
    }
    heartbeat.stop();
    expect(visits.size).toBe(5000);
    for (const at of visits.values()) {
      expect(at).toHaveLength(2);
      expect(at[1]! - at[0]!).toBe(30_000);
    }
    // 5,000 over the 30 ticks of the period: 167 at most, not 5,000 at once.
    expect(largestSlice).toBe(167);
  });

  it('visits everyone at each tick when the period is shorter than a tick', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, visits } = watched(40, 3);
    heartbeat.start();
    vi.advanceTimersByTime(120);
    heartbeat.stop();
    expect([...visits.values()]).toEqual([
      [40, 80, 120],
      [40, 80, 120],
      [40, 80, 120],
    ]);
  });

  it('no longer visits a member that left, and visits one that joins within a period', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, visits } = watched(10_000, 20);
    heartbeat.start();
    vi.advanceTimersByTime(5000);
    heartbeat.delete(3);
    heartbeat.delete(15);
    heartbeat.add(20);
    visits.clear();
    vi.advanceTimersByTime(10_000);
    heartbeat.stop();
    expect(heartbeat.size).toBe(19);
    expect([...visits.keys()].sort((a, b) => a - b)).toEqual(
      [...Array(21).keys()].filter((m) => m !== 3 && m !== 15),
    );
    for (const at of visits.values()) expect(at).toHaveLength(1);
  });
});
