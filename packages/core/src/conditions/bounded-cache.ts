/**
 * A Map with a size bound: when full, the oldest entry makes room for the new one.
 * Used to memoise pure parses (regexes, versions) whose inputs come from configs and
 * contexts, so an attacker-controlled stream of distinct inputs cannot grow memory.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  /** Returns the cached value for `key`, computing and storing it on a miss. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = compute(key);
    if (this.entries.size >= this.capacity) {
      // Insertion order makes the first key the oldest: FIFO is enough for low-cardinality inputs.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }

  /** Number of entries currently held. */
  get size(): number {
    return this.entries.size;
  }
}
