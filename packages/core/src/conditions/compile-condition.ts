import type {
  CompiledConditionState,
  ConditionCompiler,
  FieldOperatorCompiler,
  QueryOperatorCompiler,
} from './condition-compiler';
import { allOf } from './condition-compiler';
import type { Matcher } from './condition-matcher';
import { compileAll, compileElemMatch, compileSize } from './array-operators';
import {
  compileEq,
  equalityTest,
  compileGt,
  compileGte,
  compileIn,
  compileLt,
  compileLte,
  compileNe,
  compileNin,
} from './comparison-operators';
import {
  compileExists,
  compileNot,
  compileRegexOperator,
  compileType,
  regexMatcher,
} from './element-operators';
import { compileAnd, compileNor, compileOr } from './logical-operators';
import { matchAtPath, parseFieldPath, type FieldPath } from './path-lookup';
import { compileInSegment, compileNotInSegment } from './segment-operators';
import { hasOwn, isRecord } from './value-kinds';
import {
  compileVeq,
  compileVgt,
  compileVgte,
  compileVlt,
  compileVlte,
  compileVne,
} from './version-operators';

/** How deeply operators and query documents may nest before a condition counts as invalid. */
export const MAX_CONDITION_DEPTH = 64;

// Maps, not object literals: an operator named `__proto__` or `constructor` must find nothing.
const FIELD_OPERATORS = new Map<string, FieldOperatorCompiler>([
  ['$eq', compileEq],
  ['$ne', compileNe],
  ['$gt', compileGt],
  ['$gte', compileGte],
  ['$lt', compileLt],
  ['$lte', compileLte],
  ['$in', compileIn],
  ['$nin', compileNin],
  ['$exists', compileExists],
  ['$type', compileType],
  ['$regex', compileRegexOperator],
  ['$not', compileNot],
  ['$all', compileAll],
  ['$elemMatch', compileElemMatch],
  ['$size', compileSize],
  ['$veq', compileVeq],
  ['$vne', compileVne],
  ['$vgt', compileVgt],
  ['$vgte', compileVgte],
  ['$vlt', compileVlt],
  ['$vlte', compileVlte],
]);

const QUERY_OPERATORS = new Map<string, QueryOperatorCompiler>([
  ['$and', compileAnd],
  ['$or', compileOr],
  ['$nor', compileNor],
  ['$inSegment', compileInSegment],
  ['$notInSegment', compileNotInSegment],
]);

const INVALID: CompiledConditionState = { match: null, usesSegments: false };

// Conditions are treated as immutable: one compilation per condition object, shared by
// `evalCondition` and `compileCondition`, and dropped with the object.
const compiledConditions = new WeakMap<object, CompiledConditionState>();

/**
 * The compilation of `condition`, cached per object. Never throws: anything malformed
 * (an unknown operator, a bad operand, an invalid regex, nesting past
 * {@link MAX_CONDITION_DEPTH}) yields a state with `match: null`, i.e. a condition matching nothing.
 */
export function compiledCondition(condition: unknown): CompiledConditionState {
  if (!isRecord(condition)) return INVALID;
  let state = compiledConditions.get(condition);
  if (state === undefined) {
    state = compileUncached(condition);
    compiledConditions.set(condition, state);
  }
  return state;
}

function compileUncached(condition: Record<string, unknown>): CompiledConditionState {
  let usesSegments = false;
  const compiler: ConditionCompiler = {
    query: compileQuery,
    fieldSpec: compileFieldSpec,
    isQueryOperator: (key) => QUERY_OPERATORS.has(key),
    useSegments: () => {
      usesSegments = true;
    },
    compiled: compiledCondition,
  };

  function compileQuery(query: unknown, depth: number): Matcher | null {
    if (!isRecord(query) || depth > MAX_CONDITION_DEPTH) return null;
    const matchers: Matcher[] = [];
    for (const key of Object.keys(query)) {
      let matcher: Matcher | null;
      if (key.startsWith('$')) {
        const compile = QUERY_OPERATORS.get(key);
        matcher = compile === undefined ? null : compile(query[key], compiler, depth);
      } else {
        const path = parseFieldPath(key);
        matcher = path === null ? null : compileFieldSpec(path, query[key], depth + 1);
      }
      if (matcher === null) return null;
      matchers.push(matcher);
    }
    return matchers.length === 0 ? matchAll : allOf(matchers);
  }

  function compileFieldSpec(path: FieldPath, spec: unknown, depth: number): Matcher | null {
    if (depth > MAX_CONDITION_DEPTH || spec === undefined) return null;
    if (spec instanceof RegExp) return regexMatcher(path, spec, undefined);
    // A value whose keys are not operators is a literal for equality: `{ org: { id: 1 } }`.
    if (!isRecord(spec) || !Object.keys(spec).some((key) => key.startsWith('$'))) {
      return matchAtPath(path, equalityTest(spec), true);
    }
    const matchers: Matcher[] = [];
    for (const operator of Object.keys(spec)) {
      if (operator === '$options') {
        if (!hasOwn(spec, '$regex')) return null;
        continue;
      }
      const compile = FIELD_OPERATORS.get(operator);
      const operand = spec[operator];
      if (compile === undefined || operand === undefined) return null;
      const matcher = compile(operand, path, spec, compiler, depth);
      if (matcher === null) return null;
      matchers.push(matcher);
    }
    return allOf(matchers);
  }

  try {
    const match = compileQuery(condition, 0);
    return match === null ? INVALID : { match, usesSegments };
  } catch {
    return INVALID;
  }
}

const matchAll: Matcher = () => true;
