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
