import type {
  AggregateRow,
  ExposureRow,
  IngestWriter,
  UnitMetricRow,
} from '../store/ingest-queries';
import { pairKey, unitMetricKey } from '../store/ingest-queries';
import { FLAG_EXPOSURE_EVENT } from '@switchyard/core';
import type { StoredEvent } from '../store/records';
import type { CountedExperiment, MetricCatalog, MetricInterest } from './metric-catalog';
import type { UnitState } from './unit-value';
import { eventAmount, valueChange } from './unit-value';

/** One batch of valid events of one environment, ready to store. */
export interface PendingBatch {
  environment: string;
  events: readonly StoredEvent[];
}

/** What became of a batch's valid events: stored now, or already stored (retries). */
export interface BatchCounts {
  accepted: number;
  duplicates: number;
}

/** What `storeBatches` did: the counts per batch, and the exposures it read or wrote. */
export interface StoredBatches {
  counts: BatchCounts[];
  /** Variant by `pairKey`: for an `ExposureMemory`, once the transaction committed. */
  exposures: ReadonlyMap<string, string>;
  /**
   * The environment of each counted experiment (or guarded flag stage) whose aggregates moved,
   * by its id: what to analyse once the transaction committed.
   */
  touched: ReadonlyMap<string, string>;
}

/** Exposures known to be stored (see `ExposureMemory`). */
export interface KnownExposures {
  get(pair: string): string | undefined;
}

/** The metric row that holds the exposures alone. */
export const EXPOSURES_METRIC = '';

/** An exposure an event makes: to a counted experiment, in one of its variants. */
function exposureOf(
  event: StoredEvent,
  catalog: MetricCatalog,
): { experiment: CountedExperiment; variant: string } | undefined {
  const { experiment, variant, flag } = event.properties;
  if (event.type === FLAG_EXPOSURE_EVENT) {
    // A flag exposure counts for a guarded flag's current stage.
    if (event.unit === null || typeof flag !== 'string' || typeof variant !== 'string')
      return undefined;
    const stage = catalog.flags.get(flag);
    return stage && stage.variants.has(variant) ? { experiment: stage, variant } : undefined;
  }
  if (event.unit === null || typeof experiment !== 'string' || typeof variant !== 'string')
    return undefined;
  const counted = catalog.experiments.get(experiment);
  return counted && counted.variants.has(variant) ? { experiment: counted, variant } : undefined;
}

/** Per-group sums of aggregate changes, written once at the end. */
class AggregateDeltas {
  readonly #rows = new Map<string, AggregateRow>();

  row(experiment: string, metric: string, variant: string): AggregateRow {
    const id = `${experiment}\u0000${metric}\u0000${variant}`;
    let row = this.#rows.get(id);
    if (!row) {
      row = {
        experiment,
        metric,
        variant,
        units: 0,
        observed: 0,
        conversions: 0,
        sum: 0,
        sumSquares: 0,
      };
      this.#rows.set(id, row);
    }
    return row;
  }

  get rows(): AggregateRow[] {
    return [...this.#rows.values()];
  }
}

/**
 * Stores batches in the caller's transaction and counts them, exactly once per event id:
 * - an event whose id is stored already (or repeats earlier in the group) is a duplicate and
 *   changes nothing;
 * - an `$exposure`, or any event with a unit and `experiment`/`variant` properties, of a running
 *   (or paused) experiment and one of its variants, records the unit's first exposure: the unit
 *   counts once, in the variant it was first seen in, in every metric of the experiment; a
 *   `$flag_exposure` (`flag`, `variant`) of a flag a guard watches does the same for the flag's
 *   current rollout stage (`guardedFlagKey`);
 * - an event of a type a metric of such an experiment counts, from a unit already exposed to it
 *   (by an earlier event, in arrival order), moves the unit's value for that metric and the
 *   variant's sums by the change of that value. Events of a unit before its exposure are not
 *   attributed: SDKs send the exposure when they assign, so it comes first.
 * Answers, per batch, how many events were new and how many were duplicates. Exposures in
 * `known` are taken as stored without asking the store.
 */
export async function storeBatches(
  tx: IngestWriter,
  catalogs: ReadonlyMap<string, MetricCatalog>,
  batches: readonly PendingBatch[],
  known?: KnownExposures,
): Promise<StoredBatches> {
  // 1. Each id once (the first in the group wins), then the store keeps those it has not seen.
  const seen = new Set<string>();
  const unique: StoredEvent[] = [];
  for (const b of batches) {
    for (const e of b.events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      unique.push(e);
    }
  }
  const fresh = await tx.insertEvents(unique);
  const counts = batches.map(() => ({ accepted: 0, duplicates: 0 }));
  const work: { event: StoredEvent; catalog: MetricCatalog }[] = [];
  batches.forEach((b, i) => {
    const catalog = catalogs.get(b.environment);
    for (const e of b.events) {
      // The first occurrence of a new id takes it; any later one is a duplicate.
      if (fresh.delete(e.id)) {
        counts[i]!.accepted++;
        if (catalog) work.push({ event: e, catalog });
      } else {
        counts[i]!.duplicates++;
      }
    }
  });

  // 2. What the new events need from the store: exposures and unit states, read in bulk.
  const pairs = new Map<string, { experiment: string; unit: string }>();
  const unitKeys = new Map<string, { experiment: string; metric: string; unit: string }>();
  for (const { event, catalog } of work) {
    if (event.unit === null) continue;
    const exposure = exposureOf(event, catalog);
    if (exposure)
      pairs.set(pairKey(exposure.experiment.id, event.unit), {
        experiment: exposure.experiment.id,
        unit: event.unit,
      });
    for (const { experiment, metric } of catalog.byEventType.get(event.type) ?? []) {
      pairs.set(pairKey(experiment.id, event.unit), {
        experiment: experiment.id,
        unit: event.unit,
      });
      const key = { experiment: experiment.id, metric: metric.name, unit: event.unit };
      unitKeys.set(unitMetricKey(key), key);
    }
  }
  const exposures = new Map<string, string>();
  const touched = new Map<string, string>();
  if (pairs.size === 0) return { counts, exposures, touched };
  const unknown: { experiment: string; unit: string }[] = [];
  for (const [k, pair] of pairs) {
    const variant = known?.get(k);
    if (variant === undefined) unknown.push(pair);
    else exposures.set(k, variant);
  }
  for (const [k, variant] of await tx.exposures(unknown)) exposures.set(k, variant);
  const states = new Map<string, UnitState>();
  for (const [k, row] of await tx.unitMetrics([...unitKeys.values()])) states.set(k, row);

  // 3. The events in arrival order, against those states, updated in memory.
  const newExposures: ExposureRow[] = [];
  const changedStates = new Set<string>();
  const deltas = new AggregateDeltas();
  for (const { event, catalog } of work) {
    const unit = event.unit;
    if (unit === null) continue;
    const exposure = exposureOf(event, catalog);
    if (exposure) {
      const key = pairKey(exposure.experiment.id, unit);
      if (!exposures.has(key)) {
        exposures.set(key, exposure.variant);
        newExposures.push({
          experiment: exposure.experiment.id,
          unit,
          environment: event.environment,
          variant: exposure.variant,
          eventId: event.id,
          at: event.timestamp,
        });
        for (const m of [EXPOSURES_METRIC, ...exposure.experiment.metrics.map((x) => x.name)]) {
          deltas.row(exposure.experiment.id, m, exposure.variant).units++;
        }
        touched.set(exposure.experiment.id, event.environment);
      }
    }
    for (const interest of catalog.byEventType.get(event.type) ?? []) {
      if (count(interest, event, unit, exposures, states, changedStates, deltas)) {
        touched.set(interest.experiment.id, event.environment);
      }
    }
  }

  // 4. Written once per key.
  await tx.insertExposures(newExposures);
  const rows: UnitMetricRow[] = [];
  for (const k of changedStates) {
    const key = unitKeys.get(k)!;
    const state = states.get(k)!;
    rows.push({ ...key, events: state.events, total: state.total });
  }
  await tx.putUnitMetrics(rows);
  await tx.addAggregates(deltas.rows);
  return { counts, exposures, touched };
}

/** Counts one event for one metric of one experiment, if its unit was exposed; true if it did. */
function count(
  { experiment, metric }: MetricInterest,
  event: StoredEvent,
  unit: string,
  exposures: ReadonlyMap<string, string>,
  states: Map<string, UnitState>,
  changed: Set<string>,
  deltas: AggregateDeltas,
): boolean {
  const variant = exposures.get(pairKey(experiment.id, unit));
  if (variant === undefined) return false;
  const amount = eventAmount(metric, event.properties);
  if (amount === undefined) return false;
  const key = unitMetricKey({ experiment: experiment.id, metric: metric.name, unit });
  const before = states.get(key) ?? { events: 0, total: 0 };
  const after = { events: before.events + 1, total: before.total + amount };
  states.set(key, after);
  changed.add(key);
  const change = valueChange(metric, before, after);
  const row = deltas.row(experiment.id, metric.name, variant);
  row.observed += change.observed;
  row.conversions += change.conversions;
  row.sum += change.sum;
  row.sumSquares += change.sumSquares;
  return true;
}
