import type { EvaluationRun, Matcher, ValueTest } from './condition-matcher';
import { ownValue } from './value-kinds';

/** A dotted field path split once at compile time: `'orders.0.sku'`. */
export interface FieldPath {
  readonly keys: readonly string[];
  /** For each key, its value as an array index when it is a canonical non-negative integer, else -1. */
  readonly indexes: readonly number[];
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** Splits a dotted path; null when a part is empty (`''`, `'a..b'`, `'a.'`). */
export function parseFieldPath(path: string): FieldPath | null {
  const keys = path.split('.');
  const indexes: number[] = [];
  for (const key of keys) {
    if (key === '') return null;
    indexes.push(ARRAY_INDEX.test(key) ? Number(key) : -1);
  }
  return { keys, indexes };
}

/** The path of a value tested as a whole (the element of a value-form `$elemMatch`). */
export const ROOT_PATH: FieldPath = { keys: [], indexes: [] };

/**
 * True when `test` holds for some value the path reaches from `value`, with MongoDB's
 * semantics:
 * - an array met on the way is crossed: each element continues the path (one level; an
 *   element that is itself an array ends that branch), unless the key is a numeric index,
 *   which picks that element;
 * - a branch that cannot continue (a missing key, a scalar) reaches `undefined`, i.e. "missing",
 *   so `{ 'a.b': null }` matches `{ a: [{ c: 1 }] }`;
 * - with `expandLeaf`, an array at the end is tested itself and then element by element, so
 *   `{ tags: 'beta' }` matches `['beta', 'x']`.
 */
export function anyValueAt(
  value: unknown,
  path: FieldPath,
  from: number,
  test: ValueTest,
  expandLeaf: boolean,
  run: EvaluationRun,
): boolean {
  const { keys, indexes } = path;
  for (let i = from; i < keys.length; i++) {
    if (typeof value !== 'object' || value === null) return test(undefined, run);
    if (Array.isArray(value)) {
      const index = indexes[i] as number;
      if (index >= 0) {
        value = index < value.length ? value[index] : undefined;
        continue;
      }
      if (value.length === 0) return test(undefined, run);
      for (const element of value) {
        const found = Array.isArray(element)
          ? test(undefined, run)
          : anyValueAt(element, path, i, test, expandLeaf, run);
        if (found) return true;
      }
      return false;
    }
    value = ownValue(value, keys[i] as string);
  }
  if (expandLeaf && Array.isArray(value)) {
    if (test(value, run)) return true;
    for (const element of value) if (test(element, run)) return true;
    return false;
  }
  return test(value, run);
}

/**
 * A matcher for one operator at `path`: true when `test` holds for some reached value, or,
 * with `negate`, for none (how `$ne` and `$nin` negate `$eq` and `$in` with array semantics).
 */
export function matchAtPath(
  path: FieldPath,
  test: ValueTest,
  expandLeaf: boolean,
  negate = false,
): Matcher {
  return negate
    ? (document, run) => !anyValueAt(document, path, 0, test, expandLeaf, run)
    : (document, run) => anyValueAt(document, path, 0, test, expandLeaf, run);
}
