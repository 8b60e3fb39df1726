import type { RandomBytes } from '../../src';

/** A deterministic RandomBytes (mulberry32), so backoff jitter and ids repeat run to run. */
export function seededRandom(seed = 1): RandomBytes {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (length) => {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = next() & 255;
    return bytes;
  };
}

/** Lets pending promise callbacks run (the fakes deliver through microtasks). */
export async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
