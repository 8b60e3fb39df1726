import type { FieldOperatorCompiler } from './condition-compiler';
import type { ValueTest } from './condition-matcher';
import { compareOrder, valuesEqual } from './compare-values';
import { matchAtPath } from './path-lookup';
import { isDate } from './value-kinds';

/** The test of `$eq: operand` on one value (see {@link valuesEqual}). */
export function equalityTest(operand: unknown): ValueTest {
  return (value) => valuesEqual(value, operand);
}

/** `$eq`: equality, matching an array that equals the operand or contains an equal element. */
export const compileEq: FieldOperatorCompiler = (operand, path) =>
  matchAtPath(path, equalityTest(operand), true);

/** `$ne`: no reached value (nor array element) equals the operand; true for a missing field unless the operand is null. */
export const compileNe: FieldOperatorCompiler = (operand, path) =>
  matchAtPath(path, equalityTest(operand), true, true);

function isPrimitive(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

// Primitive members go into a Set so a long `$in` list of ids costs one lookup; the rest
// (null, dates, arrays, objects) are compared one by one with the `$eq` rules.
function membershipTest(members: readonly unknown[]): ValueTest {
  const primitives = new Set<unknown>();
  const others: unknown[] = [];
  for (const member of members) {
    if (isPrimitive(member)) primitives.add(member);
    else others.push(member);
  }
  return (value) => {
    if (isPrimitive(value)) {
      if (primitives.has(value)) return true;
      for (const member of others) if (valuesEqual(value, member)) return true;
      return false;
    }
    for (const member of members) if (valuesEqual(value, member)) return true;
    return false;
  };
}

/** `$in`: some reached value equals some member of the array operand. */
export const compileIn: FieldOperatorCompiler = (operand, path) =>
  Array.isArray(operand) ? matchAtPath(path, membershipTest(operand), true) : null;

/** `$nin`: the negation of `$in` with the same array operand. */
export const compileNin: FieldOperatorCompiler = (operand, path) =>
  Array.isArray(operand) ? matchAtPath(path, membershipTest(operand), true, true) : null;

function isOrderable(operand: unknown): boolean {
  return operand === null || isPrimitive(operand) || typeof operand === 'bigint' || isDate(operand);
}

/**
 * An ordering operator (`$gt`...) accepting the sign of {@link compareOrder}. A null operand is
 * legal as in MongoDB: `$gte`/`$lte` then match null and missing, `$gt`/`$lt` nothing.
 */
function orderingOperator(
  accept: (order: number) => boolean,
  includesEqual: boolean,
): FieldOperatorCompiler {
  return (operand, path) => {
    if (!isOrderable(operand)) return null;
    if (operand === null) {
      return matchAtPath(path, (value) => includesEqual && value == null, true);
    }
    return matchAtPath(path, (value) => accept(compareOrder(value, operand)), true);
  };
}

/** `$gt` `$gte` `$lt` `$lte` (NaN, i.e. not comparable, is accepted by none). */
export const compileGt = orderingOperator((order) => order > 0, false);
export const compileGte = orderingOperator((order) => order >= 0, true);
export const compileLt = orderingOperator((order) => order < 0, false);
export const compileLte = orderingOperator((order) => order <= 0, true);
