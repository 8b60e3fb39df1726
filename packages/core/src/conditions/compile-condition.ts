import type { EvaluationRun, Matcher } from './condition-matcher';
import { allOf, anyOf, compileAll, not } from './condition-matcher';
import { equalityTest, FIELD_OPERATORS, regexMatcher } from './field-operators';
import { objectCache } from './object-cache';
import { matchAtPath, parseFieldPath } from './path-lookup';
import type { FieldPath } from './path-lookup';
import { hasOwn, isRecord, ownValue, someOf } from './value-kinds';

/** How deeply operators and query documents may nest before a condition counts as invalid. */
export const MAX_CONDITION_DEPTH = 64;

/** How many segments may be nested in one another (`A` uses `$inSegment: 'B'` ...). */
export const MAX_SEGMENT_CHAIN = 16;

type QueryOperatorCompiler = (operand: unknown, depth: number) => Matcher | null;

/** `$and` `$or` `$nor`: a non-empty array of query documents, as MongoDB requires. */
const logical =
  (combine: (clauses: Matcher[]) => Matcher | null): QueryOperatorCompiler =>
  (operand, depth) =>
    Array.isArray(operand) && operand.length > 0
      ? compileAll(operand, (clause) => query(clause, depth + 1), combine)
      : null;

/**
 * Whether the run's context is in segment `key`: undefined when the reference cannot be
 * resolved soundly (a missing segment, an invalid segment condition, a cycle, a chain deeper
 * than {@link MAX_SEGMENT_CHAIN}).
 */
function inSegment(key: string, run: EvaluationRun): boolean | undefined {
  const { segments, active } = run;
  const match =
    isRecord(segments) && !active.includes(key) && active.length < MAX_SEGMENT_CHAIN
      ? compiledCondition(ownValue(segments, key))
      : null;
  if (!match) return undefined;
  active.push(key);
  try {
    return match(run.context, run);
  } finally {
    active.pop();
  }
}

/**
 * `$inSegment: 'key' | ['a', 'b']` holds when some segment contains the context,
 * `$notInSegment` when none does. A segment's condition is evaluated against the top-level
 * context, even inside `$elemMatch`. A reference that cannot be resolved marks the run failed:
 * once evaluation reaches one, the whole condition is false, even under `$nor` or `$not`, so a
 * broken config never widens targeting (a missing segment is such a failure for
 * `$notInSegment` too).
 */
const segmentOperator =
  (wanted: boolean): QueryOperatorCompiler =>
  (operand) => {
    const keys = typeof operand === 'string' ? [operand] : operand;
    if (!Array.isArray(keys) || !keys.length || !keys.every((key) => typeof key === 'string'))
      return null;
    return (_document, run) => {
      for (const key of keys) {
        const member = inSegment(key, run);
        if (member === undefined) return !(run.failed = true);
        if (member) return wanted;
      }
      return !wanted;
    };
  };

const QUERY_OPERATORS: Record<string, QueryOperatorCompiler> = {
  $and: logical(allOf),
  $or: logical(anyOf),
  $nor: logical((clauses) => not(anyOf(clauses))),
  $inSegment: segmentOperator(true),
  $notInSegment: segmentOperator(false),
};

/** A query document (`{ field: spec, $and: [...] }`) compiled; null when invalid. */
function query(condition: unknown, depth: number): Matcher | null {
  if (!isRecord(condition) || depth > MAX_CONDITION_DEPTH) return null;
  return compileAll(Object.keys(condition), (key) => {
    const operand = condition[key];
    if (key[0] === '$') {
      const compile: QueryOperatorCompiler | undefined = ownValue(QUERY_OPERATORS, key);
      return compile ? compile(operand, depth) : null;
    }
    const path = parseFieldPath(key);
    return path && field(path, operand, depth + 1);
  });
}

/** True for an object of operators (`{ $gt: 1 }`), as opposed to a literal for equality. */
const isOperatorObject = (spec: unknown): spec is Record<string, unknown> =>
  isRecord(spec) && Object.keys(spec).some((key) => key[0] === '$');

/** What a field path is tested with (an operator object or a literal) compiled; null when invalid. */
function field(path: FieldPath, spec: unknown, depth: number): Matcher | null {
  if (depth > MAX_CONDITION_DEPTH || spec === undefined) return null;
  if (spec instanceof RegExp) return regexMatcher(path, spec, undefined);
  // A value whose keys are not operators is a literal for equality: `{ org: { id: 1 } }`.
  if (!isOperatorObject(spec)) return matchAtPath(path, equalityTest(spec));
  return compileAll(Object.keys(spec), (op) => {
    const operand = spec[op];
    if (operand === undefined && op !== '$options') return null;
    // `$not`: the negation of an operator object (or RegExp) at the same path, so it also
    // matches a missing field: `{ a: { $not: { $gt: 5 } } }` matches `{}`.
    if (op === '$not')
      return operand instanceof RegExp || isOperatorObject(operand)
        ? not(field(path, operand, depth + 1))
        : null;
    if (op === '$elemMatch') return elemMatch(path, operand, depth);
    const compile = ownValue(FIELD_OPERATORS, op);
    return compile ? compile(operand, path, spec, depth) : null;
  });
}

/**
 * `$elemMatch`: some single element of the reached array satisfies the whole operand.
 * An operand made only of field operators (`{ $gte: 80, $lt: 85 }`) tests the element as a
 * value; otherwise it is a query on elements that are objects (`{ sku: 'A', qty: { $gt: 1 } }`).
 */
function elemMatch(path: FieldPath, operand: unknown, depth: number): Matcher | null {
  if (!isRecord(operand)) return null;
  const keys = Object.keys(operand);
  let test: Matcher | null = null;
  if (keys.every((key) => key[0] === '$' && !hasOwn(QUERY_OPERATORS, key))) {
    if (keys.length) test = field([], operand, depth + 1);
  } else {
    const q = query(operand, depth + 1);
    test = q && ((element, run) => isRecord(element) && q(element, run));
  }
  const elementTest = test;
  return (
    elementTest &&
    matchAtPath(
      path,
      (value, run) => Array.isArray(value) && someOf(value, (element) => elementTest(element, run)),
      false,
    )
  );
}

// Conditions are treated as immutable: one compilation per condition object, shared by
// `evalCondition` and `compileCondition`, and dropped with the object.
const compiledConditions = objectCache((condition: object): Matcher | null => {
  try {
    return query(condition, 0);
  } catch {
    // A getter or proxy in the condition threw: invalid.
    return null;
  }
});

/**
 * The compilation of `condition`, cached per object. Never throws: anything malformed
 * (an unknown operator, a bad operand, an invalid regex, nesting past
 * {@link MAX_CONDITION_DEPTH}) yields null, i.e. a condition matching nothing.
 */
export const compiledCondition = (condition: unknown): Matcher | null =>
  isRecord(condition) ? compiledConditions(condition) : null;
