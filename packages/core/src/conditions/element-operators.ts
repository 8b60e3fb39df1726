import type { FieldOperatorCompiler } from './condition-compiler';
import type { Matcher, ValueTest } from './condition-matcher';
import { matchAtPath, type FieldPath } from './path-lookup';
import { compileRegex } from './regex-cache';
import { isRecord, ownValue } from './value-kinds';
import { typeTest } from './value-type';

const isPresent: ValueTest = (value) => value !== undefined;

/** `$exists: true|false` (or 1|0): the path reaches some value (null counts, undefined does not). */
export const compileExists: FieldOperatorCompiler = (operand, path) => {
  if (typeof operand !== 'boolean' && typeof operand !== 'number') return null;
  return matchAtPath(path, isPresent, false, !operand);
};

/** `$type`: some reached value (or array element) has the named type; see {@link typeTest}. */
export const compileType: FieldOperatorCompiler = (operand, path) => {
  const test = typeTest(operand);
  return test === null ? null : matchAtPath(path, test, true);
};

/** A matcher testing reached strings against `pattern` (a string or RegExp) with `options`. */
export function regexMatcher(path: FieldPath, pattern: unknown, options: unknown): Matcher | null {
  if (options !== undefined && typeof options !== 'string') return null;
  let source: string;
  let flags = options ?? '';
  if (typeof pattern === 'string') source = pattern;
  else if (pattern instanceof RegExp) {
    source = pattern.source;
    flags += pattern.flags.replace(/[gyd]/g, '');
  } else return null;
  const regex = compileRegex(source, flags);
  if (regex === null) return null;
  return matchAtPath(path, (value) => typeof value === 'string' && regex.test(value), true);
}

/** `$regex` (with an optional sibling `$options` of `i`, `m`, `s`, `u`): only strings match. */
export const compileRegexOperator: FieldOperatorCompiler = (operand, path, spec) =>
  regexMatcher(path, operand, ownValue(spec, '$options'));

/**
 * `$not`: the negation of an operator object (or RegExp) at the same path, so it also
 * matches a missing field: `{ a: { $not: { $gt: 5 } } }` matches `{}`.
 */
export const compileNot: FieldOperatorCompiler = (operand, path, _spec, compiler, depth) => {
  const valid =
    operand instanceof RegExp ||
    (isRecord(operand) && Object.keys(operand).some((key) => key.startsWith('$')));
  if (!valid) return null;
  const inner = compiler.fieldSpec(path, operand, depth + 1);
  return inner === null ? null : (document, run) => !inner(document, run);
};
