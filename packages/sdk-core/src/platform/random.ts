/**
 * A source of random bytes (`crypto.getRandomValues` in Node and browsers), injected for event
 * ids (UUID v7) and backoff jitter.
 */
export type RandomBytes = (length: number) => Uint8Array;

/** A uniform number in [0, 1) drawn from four random bytes. */
export const randomFraction = (random: RandomBytes): number =>
  random(4).reduce((n, byte) => n * 256 + byte, 0) / 2 ** 32;
