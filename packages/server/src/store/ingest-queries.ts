import type { Executor } from './executor';
import { numberColumn } from './executor';
import type { StoredEvent } from './records';

/** An event as ingestion writes it: its properties already as the JSON text stored. */
export interface EventRow extends Omit<StoredEvent, 'properties'> {
  propertiesJson: string;
}

/** A unit's first exposure to an experiment: the unit counts once, in this variant. */
export interface ExposureRow {
  experiment: string;
  unit: string;
  environment: string;
  variant: string;
  /** The event that recorded it. */
  eventId: string;
  /** The event's own time, ms since the epoch. */
  at: number;
}

/** Names one unit's running state for one metric of one experiment. */
export interface UnitMetricKey {
  experiment: string;
  metric: string;
  unit: string;
}

/** A unit's running state for one metric: how many matching events, and their values added up. */
export interface UnitMetricRow extends UnitMetricKey {
  events: number;
  total: number;
}

/**
 * Sufficient statistics of one (experiment, metric, variant): exposed `units`, units with at
 * least one matching event (`observed`), converted units, and the sum and sum of squares of the
 * per-unit values. Metric `''` holds the exposures alone.
 */
export interface AggregateRow {
  experiment: string;
  metric: string;
  variant: string;
  units: number;
  observed: number;
  conversions: number;
  sum: number;
  sumSquares: number;
}

/** Reads of ingestion's tables. */
export interface IngestReader {
  /** Every aggregate row of an experiment. */
  aggregates(experiment: string): Promise<AggregateRow[]>;
}

/**
 * Ingestion's writes, batch by batch. Callers run them inside one store transaction whose writers
 * are serialized, and pass each key at most once per call.
 */
export interface IngestWriter extends IngestReader {
  /**
   * Inserts events whose id is not stored yet; answers, per event, whether it was stored now (of
   * an id given more than once, only the first).
   */
  insertEvents(events: readonly EventRow[]): Promise<boolean[]>;
  /** The variant of each (experiment, unit) pair that has an exposure, by `pairKey`. */
  exposures(pairs: readonly { experiment: string; unit: string }[]): Promise<Map<string, string>>;
  /** Records first exposures (none of them stored yet). */
  insertExposures(rows: readonly ExposureRow[]): Promise<void>;
  /** The stored running state of these units, by `unitMetricKey`. */
  unitMetrics(keys: readonly UnitMetricKey[]): Promise<Map<string, UnitMetricRow>>;
  /** Writes the new running state of these units. */
  putUnitMetrics(rows: readonly UnitMetricRow[]): Promise<void>;
  /** Adds each delta to its aggregate row (created at zero when missing). */
  addAggregates(deltas: readonly AggregateRow[]): Promise<void>;
}

/** The map key of an (experiment, unit) pair. */
export function pairKey(experiment: string, unit: string): string {
  return `${experiment}\u0000${unit}`;
}

/** The map key of a unit's metric state. */
export function unitMetricKey(k: UnitMetricKey): string {
  return `${k.experiment}\u0000${k.metric}\u0000${k.unit}`;
}

/** PostgreSQL takes this many rows per statement (arrays, so the text of the SQL is fixed). */
const PG_CHUNK = 2000;

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const INSERT_EVENT = `INSERT INTO events (id, environment, type, unit, timestamp, received_at, properties)
  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
const INSERT_EVENTS_PG = `INSERT INTO events (id, environment, type, unit, timestamp, received_at, properties)
  SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[],
    ?::jsonb[])
  ON CONFLICT (id) DO NOTHING RETURNING id`;
const EXPOSURE = 'SELECT variant FROM exposures WHERE experiment = ? AND unit = ?';
const EXPOSURES_PG = `SELECT e.experiment, e.unit, e.variant FROM exposures e
  JOIN unnest(?::text[], ?::text[]) AS p(experiment, unit)
  ON e.experiment = p.experiment AND e.unit = p.unit`;
const INSERT_EXPOSURE = `INSERT INTO exposures (experiment, unit, environment, variant, event_id, at)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (experiment, unit) DO NOTHING`;
const INSERT_EXPOSURES_PG = `INSERT INTO exposures (experiment, unit, environment, variant, event_id, at)
  SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
  ON CONFLICT (experiment, unit) DO NOTHING`;
const UNIT_METRIC =
  'SELECT events, total FROM unit_metrics WHERE experiment = ? AND metric = ? AND unit = ?';
const UNIT_METRICS_PG = `SELECT u.experiment, u.metric, u.unit, u.events, u.total FROM unit_metrics u
  JOIN unnest(?::text[], ?::text[], ?::text[]) AS k(experiment, metric, unit)
  ON u.experiment = k.experiment AND u.metric = k.metric AND u.unit = k.unit`;
const PUT_UNIT_METRIC_TAIL = `ON CONFLICT (experiment, metric, unit)
  DO UPDATE SET events = excluded.events, total = excluded.total`;
const PUT_UNIT_METRIC = `INSERT INTO unit_metrics (experiment, metric, unit, events, total)
  VALUES (?, ?, ?, ?, ?) ${PUT_UNIT_METRIC_TAIL}`;
const PUT_UNIT_METRICS_PG = `INSERT INTO unit_metrics (experiment, metric, unit, events, total)
  SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::float8[]) ${PUT_UNIT_METRIC_TAIL}`;
const ADD_AGGREGATE_TAIL = `ON CONFLICT (experiment, metric, variant) DO UPDATE SET
  units = metric_aggregates.units + excluded.units,
  observed = metric_aggregates.observed + excluded.observed,
  conversions = metric_aggregates.conversions + excluded.conversions,
  sum = metric_aggregates.sum + excluded.sum,
  sum_squares = metric_aggregates.sum_squares + excluded.sum_squares`;
const ADD_AGGREGATE = `INSERT INTO metric_aggregates
  (experiment, metric, variant, units, observed, conversions, sum, sum_squares)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ${ADD_AGGREGATE_TAIL}`;

/**
 * Ingestion's SQL. SQLite runs one cached single-row statement per row, the rows of a call in one
 * go (in-process calls are cheap); PostgreSQL gets one statement per chunk of rows, passed as arrays and spread with
 * `unnest`, so a batch costs a few round trips rather than one per event.
 */
export class IngestQueries implements IngestWriter {
  constructor(private readonly db: Executor) {}

  async aggregates(experiment: string): Promise<AggregateRow[]> {
    const rows = await this.db.all(
      'SELECT * FROM metric_aggregates WHERE experiment = ? ORDER BY metric, variant',
      [experiment],
    );
    return rows.map((r) => ({
      experiment: String(r.experiment),
      metric: String(r.metric),
      variant: String(r.variant),
      units: numberColumn(r.units),
      observed: numberColumn(r.observed),
      conversions: numberColumn(r.conversions),
      sum: numberColumn(r.sum),
      sumSquares: numberColumn(r.sum_squares),
    }));
  }

  async insertEvents(events: readonly EventRow[]): Promise<boolean[]> {
    if (this.db.dialect === 'sqlite') {
      // One statement per row: a repeated id is ignored by the row that repeats it.
      const changed = await this.db.runEach(
        INSERT_EVENT,
        events.map((e) => [
          e.id,
          e.environment,
          e.type,
          e.unit,
          e.timestamp,
          e.receivedAt,
          e.propertiesJson,
        ]),
      );
      return changed.map((n) => n > 0);
    }
    const fresh = new Set<string>();
    for (const chunk of chunks(events, PG_CHUNK)) {
      const rows = await this.db.all(INSERT_EVENTS_PG, [
        chunk.map((e) => e.id),
        chunk.map((e) => e.environment),
        chunk.map((e) => e.type),
        chunk.map((e) => e.unit),
        chunk.map((e) => e.timestamp),
        chunk.map((e) => e.receivedAt),
        chunk.map((e) => e.propertiesJson),
      ]);
      for (const r of rows) fresh.add(String(r.id));
    }
    // The first occurrence of a new id takes it; any later one is a repeat.
    return events.map((e) => fresh.delete(e.id));
  }

  async exposures(
    pairs: readonly { experiment: string; unit: string }[],
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (this.db.dialect === 'sqlite') {
      const rows = await this.db.firstOfEach(
        EXPOSURE,
        pairs.map((p) => [p.experiment, p.unit]),
      );
      pairs.forEach((p, i) => {
        const row = rows[i];
        if (row) found.set(pairKey(p.experiment, p.unit), String(row.variant));
      });
      return found;
    }
    for (const chunk of chunks(pairs, PG_CHUNK)) {
      const rows = await this.db.all(EXPOSURES_PG, [
        chunk.map((p) => p.experiment),
        chunk.map((p) => p.unit),
      ]);
      for (const r of rows)
        found.set(pairKey(String(r.experiment), String(r.unit)), String(r.variant));
    }
    return found;
  }

  async insertExposures(rows: readonly ExposureRow[]): Promise<void> {
    if (this.db.dialect === 'sqlite') {
      await this.db.runEach(
        INSERT_EXPOSURE,
        rows.map((r) => [r.experiment, r.unit, r.environment, r.variant, r.eventId, r.at]),
      );
      return;
    }
    for (const chunk of chunks(rows, PG_CHUNK)) {
      await this.db.run(INSERT_EXPOSURES_PG, [
        chunk.map((r) => r.experiment),
        chunk.map((r) => r.unit),
        chunk.map((r) => r.environment),
        chunk.map((r) => r.variant),
        chunk.map((r) => r.eventId),
        chunk.map((r) => r.at),
      ]);
    }
  }

  async unitMetrics(keys: readonly UnitMetricKey[]): Promise<Map<string, UnitMetricRow>> {
    const found = new Map<string, UnitMetricRow>();
    const put = (k: UnitMetricKey, events: unknown, total: unknown) =>
      found.set(unitMetricKey(k), {
        experiment: k.experiment,
        metric: k.metric,
        unit: k.unit,
        events: numberColumn(events),
        total: numberColumn(total),
      });
    if (this.db.dialect === 'sqlite') {
      const rows = await this.db.firstOfEach(
        UNIT_METRIC,
        keys.map((k) => [k.experiment, k.metric, k.unit]),
      );
      keys.forEach((k, i) => {
        const row = rows[i];
        if (row) put(k, row.events, row.total);
      });
      return found;
    }
    for (const chunk of chunks(keys, PG_CHUNK)) {
      const rows = await this.db.all(UNIT_METRICS_PG, [
        chunk.map((k) => k.experiment),
        chunk.map((k) => k.metric),
        chunk.map((k) => k.unit),
      ]);
      for (const r of rows) {
        const key = {
          experiment: String(r.experiment),
          metric: String(r.metric),
          unit: String(r.unit),
        };
        put(key, r.events, r.total);
      }
    }
    return found;
  }

  async putUnitMetrics(rows: readonly UnitMetricRow[]): Promise<void> {
    if (this.db.dialect === 'sqlite') {
      await this.db.runEach(
        PUT_UNIT_METRIC,
        rows.map((r) => [r.experiment, r.metric, r.unit, r.events, r.total]),
      );
      return;
    }
    for (const chunk of chunks(rows, PG_CHUNK)) {
      await this.db.run(PUT_UNIT_METRICS_PG, [
        chunk.map((r) => r.experiment),
        chunk.map((r) => r.metric),
        chunk.map((r) => r.unit),
        chunk.map((r) => r.events),
        chunk.map((r) => r.total),
      ]);
    }
  }

  async addAggregates(deltas: readonly AggregateRow[]): Promise<void> {
    // Aggregates are few (experiments × metrics × variants): one statement per row on both engines.
    await this.db.runEach(
      ADD_AGGREGATE,
      deltas.map((d) => [
        d.experiment,
        d.metric,
        d.variant,
        d.units,
        d.observed,
        d.conversions,
        d.sum,
        d.sumSquares,
      ]),
    );
  }
}
