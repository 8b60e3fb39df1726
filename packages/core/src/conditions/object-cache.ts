/**
 * Memoises `compute` per key object, for as long as the object lives. Used for compiled forms of
 * config objects, which are immutable once received (applyDelta replaces, never edits), so the
 * object is a sound key and a replaced config's compiled form is collected with it.
 */
export function objectCache<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const entries = new WeakMap<K, V>();
  return (key) => {
    let value = entries.get(key);
    if (value === undefined) entries.set(key, (value = compute(key)));
    return value;
  };
}
