/**
 * `record[key]` when it is the record's own entry: config records come from JSON, and a key
 * such as `constructor` or `__proto__` must not find what objects inherit.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  const value = record[key];
  return value !== undefined && Object.hasOwn(record, key) ? value : undefined;
}

/** Sets `record[key]` as an own entry, even for a key such as `__proto__`. */
export function setOwnEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
