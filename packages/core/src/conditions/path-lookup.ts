import type { EvaluationRun, Matcher, ValueTest } from './condition-matcher';
import { ownValue, someOf } from './value-kinds';

/**
 * A dotted field path split once at compile time: `'orders.0.sku'` → `['orders', 0, 'sku']`,
 * a part that is a canonical non-negative integer as a number (it may index an array).
 */
export type FieldPath = readonly (string | number)[];

/** Splits a dotted path; null when a part is empty (`''`, `'a..b'`, `'a.'`). */
export function parseFieldPath(path: string): FieldPath | null {
  const keys = path.split('.');
  return keys.includes('')
    ? null
    : keys.map((key) => (/^(0|[1-9]\d{0,8})$/.test(key) ? +key : key));
}

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
function anyValueAt(
  value: unknown,
  path: FieldPath,
  from: number,
  test: ValueTest,
  expandLeaf: boolean,
  run: EvaluationRun,
): boolean {
  for (let i = from; i < path.length; i++) {
    const key = path[i]!;
    if (typeof value !== 'object' || value === null) return test(undefined, run);
    if (Array.isArray(value)) {
      if (typeof key === 'number') {
        value = key < value.length ? value[key] : undefined;
        continue;
      }
      if (value.length === 0) return test(undefined, run);
      return someOf(value, (element) =>
        Array.isArray(element)
          ? test(undefined, run)
          : anyValueAt(element, path, i, test, expandLeaf, run),
      );
    }
    value = ownValue(value, key);
  }
  return (
    test(value, run) ||
    (expandLeaf && Array.isArray(value) && someOf(value, (element) => test(element, run)))
  );
}

/**
 * A matcher for one operator at `path`: true when `test` holds for some reached value (an
 * array at the end counts as a whole and element by element, unless `expandLeaf` is false), or,
 * with `negate`, for none (how `$ne` and `$nin` negate `$eq` and `$in` with array semantics).
 */
export const matchAtPath =
  (path: FieldPath, test: ValueTest, expandLeaf = true, negate = false): Matcher =>
  (document, run) =>
    anyValueAt(document, path, 0, test, expandLeaf, run) !== negate;
