import type { Condition } from '../schema/condition';
import type { EvaluationRun, Matcher } from './condition-matcher';
import { compiledCondition } from './compile-condition';
import { isRecord } from './value-kinds';

/** A condition compiled once, to test many contexts: see {@link compileCondition}. */
export type CompiledCondition = (
  context: Readonly<Record<string, unknown>>,
  segments?: Readonly<Record<string, Condition>>,
) => boolean;

function run(
  match: Matcher | null,
  context: unknown,
  segments: Readonly<Record<string, Condition>> | undefined,
): boolean {
  try {
    const document = isRecord(context) ? context : {};
    const r: EvaluationRun = { context: document, segments, active: [], failed: false };
    return !!match?.(document, r) && !r.failed;
  } catch {
    return false;
  }
}

/**
 * Tests a context against a condition in MongoDB query syntax, e.g.
 * `{ country: { $in: ['DE', 'FR'] }, 'org.tier': 'Enterprise', appVersion: { $vgte: '2.3' } }`.
 *
 * Operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists $type $regex`(+`$options`)
 * `$all $elemMatch $size $not`, `$and $or $nor`, versions `$veq $vne $vgt $vgte $vlt $vlte`,
 * segments `$inSegment $notInSegment` (a key or a list of keys into `segments`).
 * Dotted paths cross arrays as in MongoDB; a scalar condition matches an array containing a
 * matching element; `{ a: null }` matches a missing `a`. Comparisons never coerce types
 * (`'42'` is not `42`); a Date compares with a Date or an ISO-8601 string.
 *
 * Never throws. A condition that is malformed anywhere (an unknown operator, a bad operand,
 * an invalid regex, too deep) matches nothing, and so does one that reaches a missing or
 * cyclic segment. Condition objects are compiled once and cached by identity: do not mutate
 * a condition after evaluating it.
 */
export const evalCondition = (
  context: Readonly<Record<string, unknown>>,
  condition: Condition,
  segments?: Readonly<Record<string, Condition>>,
): boolean => compileCondition(condition)(context, segments);

/**
 * Compiles a condition into a function of the context (and segments), for a condition
 * evaluated many times such as a flag rule. Same semantics as {@link evalCondition}, which
 * shares the compilation; the returned function never throws either.
 */
export function compileCondition(condition: Condition): CompiledCondition {
  try {
    const match = compiledCondition(condition);
    return (context, segments) => run(match, context, segments);
  } catch {
    return () => false;
  }
}
