/**
 * Values this process knows the store holds, by key, bounded: past `capacity` the oldest half is
 * forgotten (a miss asks the store again). Only what was committed is added.
 */
export class BoundedMemory<V> {
  readonly #values = new Map<string, V>();

  constructor(private readonly capacity = 200_000) {}

  get(key: string): V | undefined {
    return this.#values.get(key);
  }

  /** Remembers committed values. */
  add(entries: Iterable<readonly [string, V]>): void {
    for (const [key, value] of entries) {
      if (this.#values.size >= this.capacity) this.#forgetOldest();
      this.#values.set(key, value);
    }
  }

  /** Forgets everything (the store may have changed behind this process's back). */
  clear(): void {
    this.#values.clear();
  }

  get size(): number {
    return this.#values.size;
  }

  #forgetOldest(): void {
    let drop = Math.ceil(this.capacity / 2);
    for (const key of this.#values.keys()) {
      if (drop-- <= 0) break;
      this.#values.delete(key);
    }
  }
}
