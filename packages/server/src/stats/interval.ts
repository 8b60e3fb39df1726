import type { Interval } from './types';

/** x when it is a finite number, else null: results carry no NaN or Infinity. */
export function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** estimate ± halfWidth, with null parts where either is missing or not finite. */
export function interval(estimate: number | null, halfWidth: number | null): Interval {
  const center = finite(estimate);
  const half = finite(halfWidth);
  if (center === null || half === null) return { estimate: center, lower: null, upper: null };
  return { estimate: center, lower: finite(center - half), upper: finite(center + half) };
}
