import { allOf, anyOf, type QueryOperatorCompiler } from './condition-compiler';
import type { Matcher } from './condition-matcher';
import type { ConditionCompiler } from './condition-compiler';

// The operand of `$and`/`$or`/`$nor`: a non-empty array of query documents, as MongoDB requires.
function compileClauses(
  operand: unknown,
  compiler: ConditionCompiler,
  depth: number,
): Matcher[] | null {
  if (!Array.isArray(operand) || operand.length === 0) return null;
  const clauses: Matcher[] = [];
  for (const clause of operand) {
    const matcher = compiler.query(clause, depth + 1);
    if (matcher === null) return null;
    clauses.push(matcher);
  }
  return clauses;
}

/** `$and: [c1, c2]`: every clause matches. */
export const compileAnd: QueryOperatorCompiler = (operand, compiler, depth) => {
  const clauses = compileClauses(operand, compiler, depth);
  return clauses === null ? null : allOf(clauses);
};

/** `$or: [c1, c2]`: some clause matches. */
export const compileOr: QueryOperatorCompiler = (operand, compiler, depth) => {
  const clauses = compileClauses(operand, compiler, depth);
  return clauses === null ? null : anyOf(clauses);
};

/** `$nor: [c1, c2]`: no clause matches. */
export const compileNor: QueryOperatorCompiler = (operand, compiler, depth) => {
  const clauses = compileClauses(operand, compiler, depth);
  if (clauses === null) return null;
  const any = anyOf(clauses);
  return (document, run) => !any(document, run);
};
