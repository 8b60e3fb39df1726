import type { Matcher } from './condition-matcher';
import type { FieldPath } from './path-lookup';

/** A condition compiled once: its matcher (null when it is invalid) and whether it needs segments. */
export interface CompiledConditionState {
  readonly match: Matcher | null;
  readonly usesSegments: boolean;
}

/**
 * What the operator compilers call back into while one condition compiles. Passed in rather
 * than imported so operators and the compiler do not import each other. `depth` is the
 * nesting level, bounded so a pathological condition cannot exhaust the stack.
 */
export interface ConditionCompiler {
  /** Compiles a query document (`{ field: spec, $and: [...] }`); null when invalid. */
  query(condition: unknown, depth: number): Matcher | null;
  /** Compiles what a field path is tested with (an operator object or a literal); null when invalid. */
  fieldSpec(path: FieldPath, spec: unknown, depth: number): Matcher | null;
  /** True for the operators of query documents (`$and`, `$inSegment`, ...), false for field operators. */
  isQueryOperator(key: string): boolean;
  /** Records that the condition references segments, so evaluation tracks them. */
  useSegments(): void;
  /** The cached compilation of a whole condition (a segment's). */
  compiled(condition: unknown): CompiledConditionState;
}

/** Compiles the operand of one operator; null when the operand is malformed. */
export type FieldOperatorCompiler = (
  operand: unknown,
  path: FieldPath,
  spec: Readonly<Record<string, unknown>>,
  compiler: ConditionCompiler,
  depth: number,
) => Matcher | null;

/** Compiles the operand of a top-level operator (`$and`, `$inSegment`, ...); null when malformed. */
export type QueryOperatorCompiler = (
  operand: unknown,
  compiler: ConditionCompiler,
  depth: number,
) => Matcher | null;

/** A matcher that holds when all of `matchers` hold (always, when there are none). */
export function allOf(matchers: readonly Matcher[]): Matcher {
  if (matchers.length === 1) return matchers[0] as Matcher;
  if (matchers.length === 2) {
    const [first, second] = matchers as [Matcher, Matcher];
    return (document, run) => first(document, run) && second(document, run);
  }
  return (document, run) => {
    for (const matcher of matchers) if (!matcher(document, run)) return false;
    return true;
  };
}

/** A matcher that holds when some of `matchers` holds (never, when there are none). */
export function anyOf(matchers: readonly Matcher[]): Matcher {
  if (matchers.length === 1) return matchers[0] as Matcher;
  return (document, run) => {
    for (const matcher of matchers) if (matcher(document, run)) return true;
    return false;
  };
}
