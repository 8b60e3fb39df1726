import type { Matcher, ValueTest } from './condition-matcher';
import { compileAll } from './condition-matcher';
import {
  compareOrder,
  isOrderable,
  isPrimitive,
  naturalOrder,
  valuesEqual,
} from './compare-values';
import { matchAtPath } from './path-lookup';
import type { FieldPath } from './path-lookup';
import { compileRegex } from './regex-cache';
import { hasOwn, ownValue } from './value-kinds';
import { typeTest } from './value-type';
import { versionKey } from './version-compare';

/** Compiles the operand of one field operator (its siblings in `spec`); null when malformed. */
export type FieldOperatorCompiler = (
  operand: unknown,
  path: FieldPath,
  spec: Readonly<Record<string, unknown>>,
  depth: number,
) => Matcher | null;

/** The test of `$eq: operand` on one value (see {@link valuesEqual}). */
export const equalityTest =
  (operand: unknown): ValueTest =>
  (value) =>
    valuesEqual(value, operand);

// Primitive members go into a Set so a long `$in` list of ids costs one lookup; the rest
// (null, dates, arrays, objects) are compared one by one with the `$eq` rules.
function membership(operand: unknown, path: FieldPath, negate?: boolean): Matcher | null {
  if (!Array.isArray(operand)) return null;
  const members = [...operand];
  const primitives = new Set(members.filter(isPrimitive));
  const others = members.filter((member) => !isPrimitive(member));
  return matchAtPath(
    path,
    (value) =>
      (isPrimitive(value) && primitives.has(value)) ||
      (isPrimitive(value) ? others : members).some((member) => valuesEqual(value, member)),
    true,
    negate,
  );
}

/** A matcher testing reached strings against `pattern` (a string or RegExp) with `options`. */
export function regexMatcher(path: FieldPath, pattern: unknown, options: unknown): Matcher | null {
  const regex =
    options !== undefined && typeof options !== 'string'
      ? null
      : typeof pattern === 'string'
        ? compileRegex(pattern, options ?? '')
        : pattern instanceof RegExp
          ? compileRegex(pattern.source, (options ?? '') + pattern.flags.replace(/[gyd]/g, ''))
          : null;
  return regex && matchAtPath(path, (value) => typeof value === 'string' && regex.test(value));
}

// The comparisons' accepted signs as a bit mask: 1 for below, 2 for equal, 4 for above. The
// sign is -1, 0, 1 or NaN (not comparable), and `2 ** NaN` has no bit in any mask.
const accepts = (mask: number, sign: number): number => mask & (2 ** (sign + 1));

/**
 * `$gt` `$gte` `$lt` `$lte`: see {@link compareOrder}. A null operand is legal as in MongoDB:
 * `$gte`/`$lte` then match null and missing, `$gt`/`$lt` nothing.
 */
const ordering =
  (mask: number): FieldOperatorCompiler =>
  (operand, path) =>
    operand === null
      ? matchAtPath(path, (value) => !!(mask & 2) && value == null)
      : isOrderable(operand)
        ? matchAtPath(path, (value) => !!accepts(mask, compareOrder(value, operand)))
        : null;

/**
 * `$veq` `$vne` `$vgt` `$vgte` `$vlt` `$vlte`: SemVer 2.0 precedence, see {@link versionKey}.
 * A reached value that is not a version string never matches, so `$vne` is false for a missing
 * or malformed version (it is not the negation of `$veq`); an operand that is not a version
 * makes the condition invalid.
 */
const version =
  (mask: number): FieldOperatorCompiler =>
  (operand, path) => {
    const target = versionKey(operand);
    return target === null
      ? null
      : matchAtPath(path, (value) => {
          const v = versionKey(value);
          return v !== null && !!accepts(mask, naturalOrder(v, target));
        });
  };

/**
 * The field operators but `$not` and `$elemMatch` (which compile nested conditions):
 * - `$eq`: equality, matching an array that equals the operand or contains an equal element;
 * - `$ne`: no reached value (nor array element) equals the operand; true for a missing field
 *   unless the operand is null;
 * - `$in` / `$nin`: some / no reached value equals some member of the array operand;
 * - `$exists: true|false` (or 1|0): the path reaches some value (null counts, undefined does not);
 * - `$type`: some reached value (or array element) has the named type, see {@link typeTest};
 * - `$regex` (with an optional sibling `$options` of `i`, `m`, `s`, `u`): only strings match;
 * - `$all: [x, y]`: every member matches as `$eq` would, so an array holding all of them
 *   matches (in any order, among other elements); an empty list matches nothing, as in MongoDB;
 * - `$size: n`: the reached value is an array of exactly n elements;
 * - comparisons and versions, see {@link ordering} and {@link version}.
 */
export const FIELD_OPERATORS: Record<string, FieldOperatorCompiler> = {
  $eq: (operand, path) => matchAtPath(path, equalityTest(operand)),
  $ne: (operand, path) => matchAtPath(path, equalityTest(operand), true, true),
  $in: (operand, path) => membership(operand, path),
  $nin: (operand, path) => membership(operand, path, true),
  $exists: (operand, path) =>
    /^(bo|n)/.test(typeof operand)
      ? matchAtPath(path, (value) => value !== undefined, false, !operand)
      : null,
  $type: (operand, path) => {
    const test = typeTest(operand);
    return test && matchAtPath(path, test);
  },
  $regex: (operand, path, spec) => regexMatcher(path, operand, ownValue(spec, '$options')),
  // Read by `$regex`; alone it is malformed.
  $options: (_operand, _path, spec) => (hasOwn(spec, '$regex') ? () => true : null),
  $all: (operand, path) =>
    Array.isArray(operand) && operand.length > 0
      ? compileAll(operand, (member) => matchAtPath(path, equalityTest(member)))
      : null,
  $size: (operand, path) =>
    Number.isInteger(operand) && (operand as number) >= 0
      ? matchAtPath(path, (value) => Array.isArray(value) && value.length === operand, false)
      : null,
  $gt: ordering(4),
  $gte: ordering(6),
  $lt: ordering(1),
  $lte: ordering(3),
  $veq: version(2),
  $vne: version(5),
  $vgt: version(4),
  $vgte: version(6),
  $vlt: version(1),
  $vlte: version(3),
};
