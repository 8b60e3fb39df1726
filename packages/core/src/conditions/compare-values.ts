import { parseIsoInstant } from './iso-instant';
import { isDate, isRecord, hasOwn } from './value-kinds';

// Bounds for values that are not JSON (cycles, huge shared sub-graphs): equality then fails.
let stepsLeft = 0;

/** A Date's time, an ISO-8601 string's instant (see {@link parseIsoInstant}), else NaN. */
const timeOf = (v: unknown): number =>
  isDate(v) ? v.getTime() : typeof v === 'string' ? parseIsoInstant(v) : NaN;

// The types relational operators order: 1 for the primitives `$in` puts in a Set.
const ORDERED: Record<string, number> = { string: 1, number: 1, boolean: 1, bigint: 2 };

/** True for a string, number or boolean. */
export const isPrimitive = (v: unknown): v is string | number | boolean => ORDERED[typeof v] === 1;

/** True for a value `$gt` and its kin accept as their operand. */
export const isOrderable = (v: unknown): boolean => v === null || !!ORDERED[typeof v] || isDate(v);

/**
 * Equality as `$eq` tests it, `value` from the context, `operand` from the condition:
 * - a null operand matches null and missing (`undefined`), as MongoDB's `{ a: null }` does;
 * - no type coercion: `'42'` never equals `42`, `true` never equals `1`;
 * - arrays equal element by element in order; objects equal key by key in any order;
 * - a Date equals a Date or an ISO-8601 string (see {@link parseIsoInstant}) of the same instant;
 * - NaN equals NaN and -0 equals 0.
 */
export function valuesEqual(value: unknown, operand: unknown): boolean {
  stepsLeft = 100_000;
  return operand === null ? value == null : deepEqual(value, operand, 0);
}

function deepEqual(a: any, b: any, depth: number): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a !== a && b !== b;
  const dates = isDate(a) || isDate(b);
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b)
    return dates && timeOf(a) === timeOf(b);
  if (depth > 63 || --stepsLeft < 0) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (dates) return timeOf(a) === timeOf(b);
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => hasOwn(b, key) && deepEqual(a[key], b[key], depth + 1))
  );
}

/**
 * -1, 0 or 1 as `a` is below, equal to or above `b` by `<`, NaN when neither holds (NaN, or values
 * of different types): relational operators order numbers, strings (by code unit), booleans and
 * bigints alike.
 */
export const naturalOrder = (a: any, b: any): number =>
  a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;

/**
 * Orders two values as `$gt`/`$gte`/`$lt`/`$lte` do, with MongoDB's type bracketing:
 * negative, zero or positive; NaN when they are not comparable. Numbers compare with numbers,
 * strings with strings (UTF-16 code-unit order), booleans with booleans (false < true), and a
 * Date with a Date or an ISO-8601 string. Everything else (mixed types, `'42'` against `42`,
 * null, arrays, objects, invalid dates) is not comparable, so the comparison is false.
 * Two strings compare as strings even when both are dates: write dates in one format (UTC, `Z`)
 * or pass Date objects in the context.
 */
export function compareOrder(a: unknown, b: unknown): number {
  const type = typeof a;
  if (type === typeof b && ORDERED[type]) return naturalOrder(a, b);
  return isDate(a) || isDate(b) ? naturalOrder(timeOf(a), timeOf(b)) : NaN;
}
