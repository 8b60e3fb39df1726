/** True when `key` is an own property of `object`: never consults the prototype chain. */
export const hasOwn: (object: object, key: PropertyKey) => boolean = Object.hasOwn;

/**
 * Reads an own property, or undefined when there is none, so that keys such as
 * `__proto__`, `constructor` or `toString` never reach Object.prototype.
 */
export const ownValue = (object: object, key: PropertyKey): any =>
  hasOwn(object, key) ? (object as Record<PropertyKey, unknown>)[key] : undefined;

/** A Date object (valid or not). */
export const isDate = (value: unknown): value is Date => value instanceof Date;

/**
 * A key/value object: not null, not an array, not a Date or RegExp. Null-prototype objects
 * and class instances count, so contexts built by frameworks traverse like JSON objects.
 */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !isDate(value) &&
  !(value instanceof RegExp);

/** True when `test` holds for some element of `array` (holes read as undefined). */
export function someOf(array: readonly unknown[], test: (element: unknown) => boolean): boolean {
  for (const element of array) if (test(element)) return true;
  return false;
}
