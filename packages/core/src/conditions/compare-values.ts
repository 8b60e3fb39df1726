import { parseIsoInstant } from './iso-instant';
import { isDate, isRecord, hasOwn } from './value-kinds';

// Bounds for values that are not JSON (cycles, huge shared sub-graphs): equality then fails.
const MAX_EQUALITY_DEPTH = 64;
const MAX_EQUALITY_STEPS = 100_000;
let stepsLeft = 0;

/**
 * Equality as `$eq` tests it, `value` from the context, `operand` from the condition:
 * - a null operand matches null and missing (`undefined`), as MongoDB's `{ a: null }` does;
 * - no type coercion: `'42'` never equals `42`, `true` never equals `1`;
 * - arrays equal element by element in order; objects equal key by key in any order;
 * - a Date equals a Date or an ISO-8601 string (see {@link parseIsoInstant}) of the same instant;
 * - NaN equals NaN and -0 equals 0.
 */
export function valuesEqual(value: unknown, operand: unknown): boolean {
  if (operand === null) return value === null || value === undefined;
  stepsLeft = MAX_EQUALITY_STEPS;
  return deepEqual(value, operand, 0);
}

function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a !== a && b !== b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (typeof a === 'string' && isDate(b))
      return naturalOrder(parseIsoInstant(a), b.getTime()) === 0;
    if (typeof b === 'string' && isDate(a))
      return naturalOrder(a.getTime(), parseIsoInstant(b)) === 0;
    return false;
  }
  if (depth >= MAX_EQUALITY_DEPTH || --stepsLeft < 0) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (isDate(a) || isDate(b)) {
    return isDate(a) && isDate(b) && naturalOrder(a.getTime(), b.getTime()) === 0;
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!hasOwn(b, key) || !deepEqual(a[key], b[key], depth + 1)) return false;
  }
  return true;
}

// Called with two values of one primitive type: the relational operators order numbers,
// strings (by code unit), booleans and bigints alike, and yield false both ways for NaN.
function naturalOrder(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
}

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
  if (type === 'number' || type === 'string' || type === 'boolean' || type === 'bigint') {
    if (typeof b === type) return naturalOrder(a as number, b as number);
    if (type === 'string' && isDate(b))
      return naturalOrder(parseIsoInstant(a as string), b.getTime());
    return NaN;
  }
  if (isDate(a)) {
    if (isDate(b)) return naturalOrder(a.getTime(), b.getTime());
    if (typeof b === 'string') return naturalOrder(a.getTime(), parseIsoInstant(b));
  }
  return NaN;
}
