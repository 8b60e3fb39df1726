import { allOf, type FieldOperatorCompiler } from './condition-compiler';
import type { Matcher } from './condition-matcher';
import { equalityTest } from './comparison-operators';
import { matchAtPath, ROOT_PATH } from './path-lookup';
import { isRecord } from './value-kinds';

/** `$size: n`: the reached value is an array of exactly n elements. */
export const compileSize: FieldOperatorCompiler = (operand, path) => {
  if (!Number.isInteger(operand) || (operand as number) < 0) return null;
  return matchAtPath(path, (value) => Array.isArray(value) && value.length === operand, false);
};

/**
 * `$all: [x, y]`: every member matches as `$eq` would, so an array holding all of them
 * matches (in any order, among other elements). An empty list matches nothing, as in MongoDB.
 */
export const compileAll: FieldOperatorCompiler = (operand, path) => {
  if (!Array.isArray(operand) || operand.length === 0) return null;
  return allOf(operand.map((member) => matchAtPath(path, equalityTest(member), true)));
};

/**
 * `$elemMatch`: some single element of the reached array satisfies the whole operand.
 * An operand made only of field operators (`{ $gte: 80, $lt: 85 }`) tests the element as a
 * value; otherwise it is a query on elements that are objects (`{ sku: 'A', qty: { $gt: 1 } }`).
 */
export const compileElemMatch: FieldOperatorCompiler = (operand, path, _spec, compiler, depth) => {
  if (!isRecord(operand)) return null;
  const keys = Object.keys(operand);
  if (keys.length === 0) return null;
  let elementTest: Matcher | null;
  if (keys.every((key) => key.startsWith('$') && !compiler.isQueryOperator(key))) {
    elementTest = compiler.fieldSpec(ROOT_PATH, operand, depth + 1);
  } else {
    const query = compiler.query(operand, depth + 1);
    elementTest =
      query === null ? null : (element, run) => isRecord(element) && query(element, run);
  }
  if (elementTest === null) return null;
  const test = elementTest;
  return matchAtPath(
    path,
    (value, run) => {
      if (!Array.isArray(value)) return false;
      for (const element of value) if (test(element, run)) return true;
      return false;
    },
    false,
  );
};
