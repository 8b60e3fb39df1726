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
 * Jittered exponential backoff: the n-th delay (from 0) is drawn uniformly from [d/2, d] with
 * d = min(maxMs, baseMs · 2^n). The jitter spreads out clients that lost the same server at the
 * same moment; the floor of d/2 keeps a retry storm from starting with near-zero delays.
 */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: RandomBytes,
  ) {}

  /** Retries made since the last `reset`. */
  get attempts(): number {
    return this.#attempt;
  }

  /** The delay before the next retry; each call counts one retry. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.baseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 60);
    return Math.round(ceiling / 2 + (randomFraction(this.random) * ceiling) / 2);
  }

  /** Back to the first delay, after a success. */
  reset(): void {
    this.#attempt = 0;
  }
}
