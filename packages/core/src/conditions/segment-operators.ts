import type { ConditionCompiler, QueryOperatorCompiler } from './condition-compiler';
import type { EvaluationRun } from './condition-matcher';
import { hasOwn, isRecord } from './value-kinds';

/** How many segments may be nested in one another (`A` uses `$inSegment: 'B'` ...). */
export const MAX_SEGMENT_CHAIN = 16;

const OUT = 0;
const IN = 1;
const FAILED = 2;
type Membership = typeof OUT | typeof IN | typeof FAILED;

/**
 * Whether the run's context is in segment `key`. A reference that cannot be resolved soundly
 * (a missing segment, an invalid segment condition, a cycle, a chain deeper than
 * {@link MAX_SEGMENT_CHAIN}) marks the run failed: once evaluation reaches such a reference,
 * the whole condition is false, even under `$nor` or `$not`, so a broken config never widens
 * targeting. A missing segment is such a failure for `$notInSegment` too.
 */
function membership(key: string, run: EvaluationRun, compiler: ConditionCompiler): Membership {
  const segments = run.segments;
  if (!isRecord(segments) || !hasOwn(segments, key)) return FAILED;
  if (run.active.includes(key) || run.active.length >= MAX_SEGMENT_CHAIN) return FAILED;
  const { match } = compiler.compiled(segments[key]);
  if (match === null) return FAILED;
  run.active.push(key);
  try {
    return match(run.context, run) ? IN : OUT;
  } finally {
    run.active.pop();
  }
}

function fail(run: EvaluationRun): false {
  run.failed = true;
  return false;
}

function segmentKeys(operand: unknown): readonly string[] | null {
  if (typeof operand === 'string') return [operand];
  if (!Array.isArray(operand) || operand.length === 0) return null;
  return operand.every((key) => typeof key === 'string') ? (operand as string[]) : null;
}

// `$inSegment` holds when some segment contains the context, `$notInSegment` when none does.
function segmentOperator(inSegment: boolean): QueryOperatorCompiler {
  return (operand, compiler) => {
    const keys = segmentKeys(operand);
    if (keys === null) return null;
    compiler.useSegments();
    return (_document, run) => {
      for (const key of keys) {
        const state = membership(key, run, compiler);
        if (state === IN) return inSegment;
        if (state === FAILED) return fail(run);
      }
      return !inSegment;
    };
  };
}

/**
 * `$inSegment: 'key' | ['a', 'b']`: the context is in some of the segments. A segment's
 * condition is evaluated against the top-level context, even inside `$elemMatch`.
 */
export const compileInSegment = segmentOperator(true);

/** `$notInSegment: 'key' | ['a', 'b']`: the context is in none of the segments. */
export const compileNotInSegment = segmentOperator(false);
