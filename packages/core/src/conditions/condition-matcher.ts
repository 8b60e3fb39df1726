import type { Condition } from '../schema/condition';

/**
 * State of one evaluation that references segments: the top-level context (segments are
 * always evaluated against it, even inside `$elemMatch`), the segments, the chain of
 * segments being evaluated (to detect cycles) and whether a reference failed.
 */
export interface EvaluationRun {
  readonly context: unknown;
  readonly segments: Readonly<Record<string, Condition>> | undefined;
  readonly active: string[];
  /** Set when a segment reference could not be resolved; the whole condition is then false. */
  failed: boolean;
}

/** A compiled condition (or field condition) tested against a document. */
export type Matcher = (document: unknown, run: EvaluationRun) => boolean;

/** A compiled test of one value reached by a field path (`undefined` = missing). */
export type ValueTest = (value: unknown, run: EvaluationRun) => boolean;

/** A matcher that holds when all of `matchers` hold (always, when there are none). */
export const allOf = (matchers: readonly Matcher[]): Matcher =>
  matchers.length === 1
    ? matchers[0]!
    : (d, run) => {
        for (const m of matchers) if (!m(d, run)) return false;
        return true;
      };

/** A matcher that holds when some of `matchers` holds (never, when there are none). */
export const anyOf = (matchers: readonly Matcher[]): Matcher =>
  matchers.length === 1 ? matchers[0]! : (d, run) => matchers.some((m) => m(d, run));

/** The negation of a matcher (null stays null: invalid). */
export const not = (m: Matcher | null): Matcher | null => m && ((d, run) => !m(d, run));

/**
 * Each item compiled, then combined (by default: all must hold); null as soon as one is
 * invalid.
 */
export function compileAll<T>(
  items: readonly T[],
  compile: (item: T) => Matcher | null,
  combine: (matchers: Matcher[]) => Matcher | null = allOf,
): Matcher | null {
  const out: Matcher[] = [];
  for (const item of items) {
    const m = compile(item);
    if (!m) return null;
    out.push(m);
  }
  return combine(out);
}
