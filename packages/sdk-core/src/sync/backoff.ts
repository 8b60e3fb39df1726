import { randomFraction } from '../platform/random';
import type { RandomBytes } from '../platform/random';

/** How retry delays grow. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. */
  baseMs: number;
  /** Cap of the delay, in ms. */
  maxMs: number;
}

/**
 * Jittered exponential backoff: the delay before retry `attempt` (from 0) is drawn uniformly
 * from [d/2, d] with d = min(maxMs, baseMs · 2^attempt). The jitter spreads out clients that lost
 * the same server at the same moment; the floor of d/2 keeps a retry storm from starting with
 * near-zero delays.
 */
export function backoffDelay(
  options: BackoffOptions,
  attempt: number,
  random: RandomBytes,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 60));
  return Math.round((ceiling * (1 + randomFraction(random))) / 2);
}
