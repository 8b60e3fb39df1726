import type { EvaluationContext } from '../types';

/**
 * The unit a context is bucketed by: the value of `attribute`, a string as is or a finite
 * number in its decimal form; anything else (absent, empty, an object) means no unit.
 */
export function unitOf(context: EvaluationContext, attribute: string): string | undefined {
  const value = context[attribute];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
