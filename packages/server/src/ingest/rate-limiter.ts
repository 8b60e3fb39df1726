/** A token-bucket rate: `perSecond` tokens flow in, up to `burst` are held. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by name (an API key's id): a request costing n tokens passes when the bucket
 * holds n, else it is refused with the time until it would. A cost above the burst is charged as
 * the burst (such a request passes when the bucket is full), so no request is refused for ever.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens from `name`'s bucket: 0 when it may go on, else ms to wait. */
  take(name: string, cost: number): number {
    const now = this.now();
    const { perSecond, burst } = this.limit;
    const bucket = this.#buckets.get(name) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * perSecond) / 1000);
    bucket.at = now;
    this.#buckets.set(name, bucket);
    const need = Math.min(cost, burst);
    if (bucket.tokens >= need) {
      bucket.tokens -= need;
      return 0;
    }
    return Math.ceil(((need - bucket.tokens) * 1000) / perSecond);
  }
}
