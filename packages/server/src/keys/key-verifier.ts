import type { KeyRecord } from '../store/records';
import { hashSecret } from './key-secret';

/** Finds the live key a secret belongs to. */
export interface KeyVerifier {
  verify(secret: string): Promise<KeyRecord | null>;
}

/** Options of `CachedKeyVerifier`. */
export interface CachedKeyVerifierOptions {
  /** How long a verified key is trusted without asking the store again, in ms (default 5000). */
  ttlMs?: number;
  /** Most secrets remembered (default 10,000). */
  capacity?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  key: Promise<KeyRecord | null>;
}

/**
 * Verifies SDK keys for the high-volume paths (socket hellos, event batches) with a short memory:
 * a key verified in the last `ttlMs` is trusted again without a store read, and concurrent checks
 * of one secret share one read (5,000 sockets saying hello with one key cost one lookup).
 * Unknown secrets are never remembered, so a new key works at once; a key revoked by this process
 * is forgotten at once (`clear`), one revoked by another instance within `ttlMs`. The management
 * API verifies every request.
 */
export class CachedKeyVerifier implements KeyVerifier {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(
    private readonly inner: KeyVerifier,
    options: CachedKeyVerifierOptions = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#capacity = options.capacity ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Forgets every verified key (after a revocation). */
  clear(): void {
    this.#entries.clear();
  }

  verify(secret: string): Promise<KeyRecord | null> {
    const now = this.#now();
    // Remembered by hash: the secrets themselves are not kept.
    const id = hashSecret(secret);
    const known = this.#entries.get(id);
    if (known && now - known.at < this.#ttlMs) return known.key;
    if (this.#entries.size >= this.#capacity) this.#entries.clear();
    const key = this.inner.verify(secret);
    const entry: Entry = { at: now, key };
    this.#entries.set(id, entry);
    const forget = () => {
      if (this.#entries.get(id) === entry) this.#entries.delete(id);
    };
    key.then((found) => found ?? forget(), forget);
    return key;
  }
}
