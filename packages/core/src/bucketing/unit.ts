import type { EvaluationContext } from '../types';

/**
 * The unit a context is bucketed by: the value of `attribute`, a string as is or a finite
 * number in its decimal form; anything else (absent, empty, an object) means no unit.
 */
export function unitOf(context: EvaluationContext, attribute: string): string | undefined {
  const value = context[attribute];
  return typeof value === 'string'
    ? value || undefined
    : Number.isFinite(value)
      ? String(value)
      : undefined;
}
