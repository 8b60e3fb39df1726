import { FLAG_EXPOSURE_EVENT } from '@switchyard/core';
import type { EventRow } from '../store/ingest-queries';
import type { StoredEvent } from '../store/records';
import type { CountedExperiment, MetricCatalog, MetricInterest } from './metric-catalog';
import type { MetricValuation } from './unit-value';
import { eventAmount } from './unit-value';

/** The metric row that holds the exposures alone. */
export const EXPOSURES_METRIC = '';

/** The exposure an event records, unless its unit was exposed to the experiment before. */
export interface ExposureTarget {
  experiment: string;
  variant: string;
  /** The aggregate rows a unit's first exposure adds it to: EXPOSURES_METRIC, then each metric. */
  metrics: readonly string[];
}

/** One metric of one experiment, as the store counts it. */
export interface MetricTarget {
  experiment: string;
  metric: MetricValuation;
}

/** What an event adds to a metric, once its unit was exposed to the metric's experiment. */
export interface MetricAmount {
  target: MetricTarget;
  amount: number;
}

/**
 * An event ready to store: its row, and what it counts for as far as the metric catalog alone
 * decides (whether its unit was exposed before is for the store to say). Plain data: it can be
 * handed to another thread. Its targets are shared by every event with the same ones.
 */
export interface CountedEvent extends EventRow {
  exposure?: ExposureTarget;
  amounts?: MetricAmount[];
}

/** Targets already made, per catalog: events share them (and a copy to a worker sends each once). */
interface Targets {
  exposures: Map<string, ExposureTarget>;
  metrics: Map<MetricInterest, MetricTarget>;
}

const targetsByCatalog = new WeakMap<MetricCatalog, Targets>();

function targetsOf(catalog: MetricCatalog): Targets {
  let targets = targetsByCatalog.get(catalog);
  if (!targets) {
    targets = { exposures: new Map(), metrics: new Map() };
    targetsByCatalog.set(catalog, targets);
  }
  return targets;
}

/** The counted experiment (or guarded flag stage) and variant an event is an exposure to. */
function exposureOf(
  type: string,
  properties: Readonly<Record<string, unknown>>,
  catalog: MetricCatalog,
): { experiment: CountedExperiment; variant: string } | undefined {
  const { experiment, variant, flag } = properties;
  if (type === FLAG_EXPOSURE_EVENT) {
    // A flag exposure counts for a guarded flag's current stage.
    if (typeof flag !== 'string' || typeof variant !== 'string') return undefined;
    const stage = catalog.flags.get(flag);
    return stage && stage.variants.has(variant) ? { experiment: stage, variant } : undefined;
  }
  if (typeof experiment !== 'string' || typeof variant !== 'string') return undefined;
  const counted = catalog.experiments.get(experiment);
  return counted && counted.variants.has(variant) ? { experiment: counted, variant } : undefined;
}

function exposureTarget(
  targets: Targets,
  experiment: CountedExperiment,
  variant: string,
): ExposureTarget {
  const key = `${experiment.id}\u0000${variant}`;
  let target = targets.exposures.get(key);
  if (!target) {
    const metrics = [EXPOSURES_METRIC, ...experiment.metrics.map((m) => m.name)];
    target = { experiment: experiment.id, variant, metrics };
    targets.exposures.set(key, target);
  }
  return target;
}

function metricTarget(targets: Targets, interest: MetricInterest): MetricTarget {
  let target = targets.metrics.get(interest);
  if (!target) {
    const { name, kind, aggregate } = interest.metric;
    target = { experiment: interest.experiment.id, metric: { name, kind, aggregate } };
    targets.metrics.set(interest, target);
  }
  return target;
}

/**
 * The event as a row (properties as JSON text) with what it counts for under `catalog` (see
 * `addCounting`).
 */
export function countEvent(event: StoredEvent, catalog: MetricCatalog | undefined): CountedEvent {
  const { properties } = event;
  const row: CountedEvent = {
    id: event.id,
    environment: event.environment,
    type: event.type,
    unit: event.unit,
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    propertiesJson: JSON.stringify(properties),
  };
  return addCounting(row, properties, catalog);
}

/**
 * Adds to an event's row (`properties` being its properties) what it counts for under `catalog`
 * (nothing without one, or without a unit), and answers it:
 * - an `$exposure`, or any event with `experiment`/`variant` properties, of a counted experiment
 *   and one of its variants, is an exposure to it; a `$flag_exposure` (`flag`, `variant`) of a
 *   flag a guard watches is one to the flag's current rollout stage (`guardedFlagKey`);
 * - an event of a type a metric of a counted experiment counts, whose condition it meets (and,
 *   for a mean metric, whose property is a finite number), moves that metric by its amount.
 */
export function addCounting(
  row: CountedEvent,
  properties: Readonly<Record<string, unknown>>,
  catalog: MetricCatalog | undefined,
): CountedEvent {
  if (!catalog || row.unit === null) return row;
  const exposure = exposureFor(row.type, properties, catalog);
  if (exposure) row.exposure = exposure;
  const amounts = amountsFor(row.type, properties, catalog);
  if (amounts) row.amounts = amounts;
  return row;
}

/** The exposure an event of a unit records under `catalog` (see `addCounting`), if any. */
export function exposureFor(
  type: string,
  properties: Readonly<Record<string, unknown>>,
  catalog: MetricCatalog,
): ExposureTarget | undefined {
  const exposure = exposureOf(type, properties, catalog);
  return exposure && exposureTarget(targetsOf(catalog), exposure.experiment, exposure.variant);
}

/** What an event of a unit adds to metrics under `catalog` (see `addCounting`), if anything. */
export function amountsFor(
  type: string,
  properties: Readonly<Record<string, unknown>>,
  catalog: MetricCatalog,
): MetricAmount[] | undefined {
  let amounts: MetricAmount[] | undefined;
  for (const interest of catalog.byEventType.get(type) ?? []) {
    const amount = eventAmount(interest.metric, properties);
    if (amount === undefined) continue;
    (amounts ??= []).push({ target: metricTarget(targetsOf(catalog), interest), amount });
  }
  return amounts;
}
