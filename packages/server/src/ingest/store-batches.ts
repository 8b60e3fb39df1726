import type {
  AggregateRow,
  ExposureRow,
  IngestWriter,
  UnitMetricKey,
  UnitMetricRow,
} from '../store/ingest-queries';
import { pairKey, unitMetricKey } from '../store/ingest-queries';
import type { StoredEvent } from '../store/records';
import type { CountedColumns } from './counted-columns';
import { eventRows, exposureAt, toColumns } from './counted-columns';
import type { CountedEvent, MetricTarget } from './event-counting';
import { countEvent } from './event-counting';
import type { MetricCatalog } from './metric-catalog';
import type { SqliteIngestWriter } from './sqlite-ingest-writer';
import type { UnitState } from './unit-value';
import { valueChange } from './unit-value';

export { EXPOSURES_METRIC } from './event-counting';

/** One batch of valid events of one environment, ready to store. */
export interface PendingBatch {
  environment: string;
  events: readonly StoredEvent[];
}

/**
 * A batch of events of one environment with what each counts for (see `countEvent`); stored
 * laid out by column (see `toColumns`).
 */
export interface CountedBatch {
  environment: string;
  events: readonly CountedEvent[];
}

/** What became of a batch's valid events: stored now, or already stored (retries). */
export interface BatchCounts {
  accepted: number;
  duplicates: number;
}

/** What `storeBatches` did: the counts per batch, and the exposures it read or wrote. */
export interface StoredBatches {
  counts: BatchCounts[];
  /**
   * Variant by `pairKey` of the exposures it read from the store or recorded (not those it was
   * told of): for an `ExposureMemory`, once the transaction committed.
   */
  exposures: ReadonlyMap<string, string>;
  /**
   * The environment of each counted experiment (or guarded flag stage) whose aggregates moved,
   * by its id: what to analyse once the transaction committed.
   */
  touched: ReadonlyMap<string, string>;
  /**
   * The running state of each unit metric it read from the store or changed, by `unitMetricKey`,
   * as it now is (not those it was told of in `knownStates` and left as they were).
   */
  unitStates: ReadonlyMap<string, UnitState>;
}

/** Exposures known to be stored (see `ExposureMemory`). */
export interface KnownExposures {
  get(pair: string): string | undefined;
}

/** Unit metric states known to be stored as they are, by `unitMetricKey`. */
export interface KnownUnitStates {
  get(key: string): UnitState | undefined;
}

/** An (experiment, unit) pair the group's events name: its exposure's variant, once known. */
interface ExposurePair {
  /** Its `pairKey`. */
  key: string;
  experiment: string;
  unit: string;
  variant: string | undefined;
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
 * Stores batches in the caller's transaction and counts them (see `storeCountedBatches`),
 * against the metric catalog of each batch's environment.
 */
export function storeBatches(
  tx: IngestWriter,
  catalogs: ReadonlyMap<string, MetricCatalog>,
  batches: readonly PendingBatch[],
  known?: KnownExposures,
): Promise<StoredBatches> {
  const counted = batches.map((b) => {
    const catalog = catalogs.get(b.environment);
    return toColumns({
      environment: b.environment,
      events: b.events.map((e) => countEvent(e, catalog)),
    });
  });
  return storeCountedBatches(tx, counted, known);
}

/**
 * Stores batches in the caller's transaction and counts them, exactly once per event id:
 * - an event whose id is stored already (or repeats earlier in the group) is a duplicate and
 *   changes nothing;
 * - an exposure (see `countEvent`) records the unit's first exposure to the experiment: the unit
 *   counts once, in the variant it was first seen in, in every metric of the experiment;
 * - an event that moves a metric, from a unit already exposed to its experiment (by an earlier
 *   event, in arrival order), moves the unit's value for that metric and the variant's sums by
 *   the change of that value. Events of a unit before its exposure are not attributed: SDKs send
 *   the exposure when they assign, so it comes first. A conversion metric's state of a unit is
 *   whether it converted: its events after the first change nothing, not even the stored state
 *   (so repeated conversions cost no write).
 * Answers, per batch, how many events were new and how many were duplicates. Exposures in
 * `known` and unit states in `knownStates` are taken as stored without asking the store. Pure
 * but for `tx`: what an event counts for was decided before (possibly on another thread). A
 * `SqliteIngestWriter` inserts the events straight from their columns.
 */
export async function storeCountedBatches(
  tx: IngestWriter | SqliteIngestWriter,
  batches: readonly CountedColumns[],
  known?: KnownExposures,
  knownStates?: KnownUnitStates,
): Promise<StoredBatches> {
  // 1. The store keeps the events whose id it has not seen (of an id repeated in the group, the
  // first); the rest are duplicates. The new ones that count for something are the work, by
  // batch and index.
  const stored =
    'insertEventColumns' in tx
      ? tx.insertEventColumns(batches)
      : await tx.insertEvents(batches.flatMap(eventRows));
  const counts = batches.map(() => ({ accepted: 0, duplicates: 0 }));
  const workBatches: CountedColumns[] = [];
  const workIndices: number[] = [];
  let at = 0;
  batches.forEach((b, i) => {
    for (let j = 0; j < b.ids.length; j++) {
      if (stored[at++]) {
        counts[i]!.accepted++;
        const countsFor = b.exposure[j] !== 0 || b.amountStart[j + 1]! > b.amountStart[j]!;
        if (b.units[j] != null && countsFor) {
          workBatches.push(b);
          workIndices.push(j);
        }
      } else {
        counts[i]!.duplicates++;
      }
    }
  });

  // 2. What the new events need from the store: exposures and unit states, read in bulk. Each
  // event's keys are built once, here (a string built anew is flattened and hashed anew at every
  // lookup), and step 3 finds its pairs in `eventPairs` and its unit metrics in `eventStates`, in
  // the order of the work, without looking them up again.
  const pairs = new Map<string, ExposurePair>();
  const eventPairs: ExposurePair[] = [];
  const eventStates: string[] = [];
  const unitKeys = new Map<string, UnitMetricKey>();
  const pairOf = (key: string, experiment: string, unit: string): ExposurePair => {
    let pair = pairs.get(key);
    if (pair === undefined) {
      pair = { key, experiment, unit, variant: undefined };
      pairs.set(key, pair);
    }
    return pair;
  };
  for (let w = 0; w < workBatches.length; w++) {
    const b = workBatches[w]!;
    const j = workIndices[w]!;
    const unit = b.units[j]!;
    const exposure = exposureAt(b, j);
    let exposed: ExposurePair | undefined;
    if (exposure) {
      exposed = pairOf(pairKey(exposure.experiment, unit), exposure.experiment, unit);
      eventPairs.push(exposed);
    }
    for (let a = b.amountStart[j]!; a < b.amountStart[j + 1]!; a++) {
      const target = b.metricTargets[b.amountTarget[a]!]!;
      const { experiment } = target;
      const metric = target.metric.name;
      eventPairs.push(
        exposed !== undefined && exposed.experiment === experiment
          ? exposed
          : pairOf(pairKey(experiment, unit), experiment, unit),
      );
      const key = unitMetricKey({ experiment, metric, unit });
      eventStates.push(key);
      if (!unitKeys.has(key)) unitKeys.set(key, { experiment, metric, unit });
    }
  }
  const learned = new Map<string, string>();
  const touched = new Map<string, string>();
  const states = new Map<string, UnitState>();
  const newStates = new Map<string, UnitState>();
  if (pairs.size === 0) return { counts, exposures: learned, touched, unitStates: newStates };
  const unknown: ExposurePair[] = [];
  for (const pair of pairs.values()) {
    pair.variant = known?.get(pair.key);
    if (pair.variant === undefined) unknown.push(pair);
  }
  for (const [k, variant] of await tx.exposures(unknown)) {
    pairs.get(k)!.variant = variant;
    learned.set(k, variant);
  }
  const unread: UnitMetricKey[] = [];
  for (const [k, key] of unitKeys) {
    const state = knownStates?.get(k);
    if (state === undefined) unread.push(key);
    else states.set(k, state);
  }
  for (const [k, row] of await tx.unitMetrics(unread)) {
    const state = { events: row.events, total: row.total };
    states.set(k, state);
    newStates.set(k, state);
  }

  // 3. The events in arrival order, against those states, updated in memory.
  const newExposures: ExposureRow[] = [];
  const changedStates = new Set<string>();
  const deltas = new AggregateDeltas();
  let nextPair = 0;
  let nextState = 0;
  for (let w = 0; w < workBatches.length; w++) {
    const b = workBatches[w]!;
    const j = workIndices[w]!;
    const exposure = exposureAt(b, j);
    if (exposure) {
      const pair = eventPairs[nextPair++]!;
      if (pair.variant === undefined) {
        pair.variant = exposure.variant;
        learned.set(pair.key, exposure.variant);
        newExposures.push({
          experiment: exposure.experiment,
          unit: pair.unit,
          environment: b.environment,
          variant: exposure.variant,
          eventId: b.ids[j]!,
          at: b.timestamps[j]!,
        });
        for (const m of exposure.metrics)
          deltas.row(exposure.experiment, m, exposure.variant).units++;
        touched.set(exposure.experiment, b.environment);
      }
    }
    for (let a = b.amountStart[j]!; a < b.amountStart[j + 1]!; a++) {
      const target = b.metricTargets[b.amountTarget[a]!]!;
      const { variant } = eventPairs[nextPair++]!;
      const key = eventStates[nextState++]!;
      if (count(target, b.amountValue[a]!, variant, key, states, changedStates, deltas)) {
        touched.set(target.experiment, b.environment);
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
    newStates.set(k, state);
  }
  await tx.putUnitMetrics(rows);
  await tx.addAggregates(deltas.rows);
  return { counts, exposures: learned, touched, unitStates: newStates };
}

/** A unit's state for a metric before its first event. */
const NO_EVENTS: UnitState = { events: 0, total: 0 };

/**
 * Counts one event's `amount` for the metric `target` (`key`: the unit's `unitMetricKey`), if
 * its unit was exposed (in `variant`); true if it did.
 */
function count(
  target: MetricTarget,
  amount: number,
  variant: string | undefined,
  key: string,
  states: Map<string, UnitState>,
  changed: Set<string>,
  deltas: AggregateDeltas,
): boolean {
  if (variant === undefined) return false;
  const { experiment, metric } = target;
  const before = states.get(key) ?? NO_EVENTS;
  // A converted unit stays converted: its value and its state (converted or not) stay as they are.
  if (metric.kind === 'conversion' && before.events > 0) return false;
  const after = { events: before.events + 1, total: before.total + amount };
  states.set(key, after);
  changed.add(key);
  const change = valueChange(metric, before, after);
  const row = deltas.row(experiment, metric.name, variant);
  row.observed += change.observed;
  row.conversions += change.conversions;
  row.sum += change.sum;
  row.sumSquares += change.sumSquares;
  return true;
}
