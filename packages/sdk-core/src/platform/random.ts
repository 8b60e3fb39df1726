/**
 * A source of random bytes (`crypto.getRandomValues` in Node and browsers), injected for event
 * ids (UUID v7) and backoff jitter.
 */
export type RandomBytes = (length: number) => Uint8Array;

/** A uniform number in [0, 1) drawn from four random bytes. */
export function randomFraction(random: RandomBytes): number {
  const b = random(4);
  return (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) / 2 ** 32;
}
