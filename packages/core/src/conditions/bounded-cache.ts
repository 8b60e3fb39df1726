/**
 * Memoises `compute` for at most `capacity` keys: when full, the oldest entry makes room for the
 * new one. Used for pure parses (regexes, versions) whose inputs come from configs and contexts,
 * so an attacker-controlled stream of distinct inputs cannot grow memory.
 */
export function boundedCache<K, V>(capacity: number, compute: (key: K) => V): (key: K) => V {
  const entries = new Map<K, V>();
  return (key) => {
    if (entries.has(key)) return entries.get(key)!;
    const value = compute(key);
    // Insertion order makes the first key the oldest: FIFO is enough for low-cardinality inputs.
    if (entries.size >= capacity) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
    return value;
  };
}
