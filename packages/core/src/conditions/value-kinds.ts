const hasOwnProperty = Object.prototype.hasOwnProperty;

/** True when `key` is an own property of `object`: never consults the prototype chain. */
export function hasOwn(object: object, key: string): boolean {
  return hasOwnProperty.call(object, key);
}

/**
 * Reads an own property, or undefined when there is none, so that keys such as
 * `__proto__`, `constructor` or `toString` never reach Object.prototype.
 */
export function ownValue(object: object, key: string): unknown {
  return hasOwnProperty.call(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** A Date object (valid or not). */
export function isDate(value: unknown): value is Date {
  return value instanceof Date;
}

/**
 * A key/value object: not null, not an array, not a Date or RegExp. Null-prototype objects
 * and class instances count, so contexts built by frameworks traverse like JSON objects.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp)
  );
}
