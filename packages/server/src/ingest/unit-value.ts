import type { CountedMetric } from './metric-catalog';

/** What turns a unit's events into its value for a metric (see `unitValue`). */
export type MetricValuation = Pick<CountedMetric, 'name' | 'kind' | 'aggregate'>;

/**
 * A unit's running state for one metric: matching events so far and their values added up (for a
 * conversion metric only whether it converted: events after the first are not counted in).
 */
export interface UnitState {
  events: number;
  total: number;
}

/** How one event moves an aggregate: the changes to its observed units, conversions and sums. */
export interface ValueChange {
  observed: number;
  conversions: number;
  sum: number;
  sumSquares: number;
}

/**
 * The unit's value for the metric: converted (1) or not (0); its count of events; its sum; or
 * the mean of its values. A unit without events has value 0 and is not observed.
 */
export function unitValue(metric: MetricValuation, s: UnitState): number {
  if (s.events === 0) return 0;
  if (metric.kind === 'conversion') return 1;
  if (metric.kind === 'count') return s.events;
  return metric.aggregate === 'sum' ? s.total : s.total / s.events;
}

/**
 * What the event adds to a unit (its value for mean metrics), or undefined when it does not
 * count: a condition that does not match, or a mean metric's property that is not a finite number.
 */
export function eventAmount(
  metric: CountedMetric,
  properties: Readonly<Record<string, unknown>>,
): number | undefined {
  if (metric.matches && !metric.matches(properties)) return undefined;
  if (metric.kind !== 'mean') return 1;
  const value = metric.property === undefined ? undefined : properties[metric.property];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * How an aggregate changes when a unit's state goes from `before` to `after`: the unit's value
 * v becomes v', so the sum moves by v' − v and the sum of squares by v'² − v²; a unit counts as
 * observed once it has an event, and as converted once it converted.
 */
export function valueChange(
  metric: MetricValuation,
  before: UnitState,
  after: UnitState,
): ValueChange {
  const v = unitValue(metric, before);
  const w = unitValue(metric, after);
  return {
    observed: (after.events > 0 ? 1 : 0) - (before.events > 0 ? 1 : 0),
    conversions: metric.kind === 'conversion' ? w - v : 0,
    sum: w - v,
    sumSquares: w * w - v * v,
  };
}
