/**
 * Exposures this process knows are stored, by `pairKey`: a unit's first exposure never changes,
 * so a known one is still true on every instance, and the store need not be asked again. Only
 * committed exposures are added; a miss asks the store. Bounded: past `capacity` the oldest half
 * is forgotten.
 */
export class ExposureMemory {
  readonly #variants = new Map<string, string>();

  constructor(private readonly capacity = 200_000) {}

  get(key: string): string | undefined {
    return this.#variants.get(key);
  }

  /** Remembers committed exposures. */
  add(entries: Iterable<readonly [string, string]>): void {
    for (const [key, variant] of entries) {
      if (this.#variants.size >= this.capacity) this.#forgetOldest();
      this.#variants.set(key, variant);
    }
  }

  get size(): number {
    return this.#variants.size;
  }

  #forgetOldest(): void {
    let drop = Math.ceil(this.capacity / 2);
    for (const key of this.#variants.keys()) {
      if (drop-- <= 0) break;
      this.#variants.delete(key);
    }
  }
}
