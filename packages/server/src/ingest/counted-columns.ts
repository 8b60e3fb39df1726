import type { EventRow } from '../store/ingest-queries';
import type { ExposureTarget, MetricAmount, MetricTarget } from './event-counting';
import type { CountedBatch } from './store-batches';

/**
 * A counted batch laid out by column: how `storeCountedBatches` takes it, and how it goes to the
 * ingestion worker (copying arrays of strings costs about half what copying as many small objects
 * does, each object carrying its key names; numbers go in typed arrays, which copy as bytes; and
 * the worker stores them without making an object per event). The receipt time, the same for
 * every event of a batch the ingestor makes, is held once then. What events count for (see
 * `addCounting`) is held by index into the few targets the batch names, each once.
 */
export interface CountedColumns {
  environment: string;
  receivedAt: string | string[];
  ids: string[];
  types: string[];
  units: (string | null)[];
  timestamps: Float64Array;
  properties: string[];
  /** The exposure targets the batch's events name, each once. */
  exposureTargets: ExposureTarget[];
  /** Per event, its exposure's index in `exposureTargets` plus one; 0 for none. */
  exposure: Int32Array;
  /** The metric targets the batch's events move, each once. */
  metricTargets: MetricTarget[];
  /**
   * Event `i`'s amounts are entries `amountStart[i]` to `amountStart[i + 1]` (excluded) of
   * `amountTarget` (an index in `metricTargets`) and `amountValue`.
   */
  amountStart: Int32Array;
  amountTarget: Int32Array;
  amountValue: Float64Array;
}

/**
 * Columns for `n` events, to fill in: the rows by index, what they count for through `counting`
 * (see `CountingColumns`).
 */
export function emptyColumns(environment: string, receivedAt: string, n: number): CountedColumns {
  return {
    environment,
    receivedAt,
    ids: new Array<string>(n),
    types: new Array<string>(n),
    units: new Array<string | null>(n),
    timestamps: new Float64Array(n),
    properties: new Array<string>(n),
    exposureTargets: [],
    exposure: new Int32Array(n),
    metricTargets: [],
    amountStart: new Int32Array(n + 1),
    amountTarget: new Int32Array(0),
    amountValue: new Float64Array(0),
  };
}

/** Fills the counting columns of `CountedColumns`, event by event in order, then `finish`. */
export class CountingColumns {
  readonly #exposures = new Map<ExposureTarget, number>();
  readonly #metrics = new Map<MetricTarget, number>();
  readonly #targets: number[] = [];
  readonly #values: number[] = [];
  #next = 0;

  constructor(private readonly columns: CountedColumns) {}

  /** What the next event counts for. */
  add(exposure: ExposureTarget | undefined, amounts: readonly MetricAmount[] | undefined): void {
    const c = this.columns;
    const i = this.#next++;
    if (exposure) c.exposure[i] = indexOf(this.#exposures, c.exposureTargets, exposure) + 1;
    for (const { target, amount } of amounts ?? []) {
      this.#targets.push(indexOf(this.#metrics, c.metricTargets, target));
      this.#values.push(amount);
    }
    c.amountStart[i + 1] = this.#values.length;
  }

  finish(): CountedColumns {
    this.columns.amountTarget = Int32Array.from(this.#targets);
    this.columns.amountValue = Float64Array.from(this.#values);
    return this.columns;
  }
}

function indexOf<T>(indices: Map<T, number>, list: T[], item: T): number {
  let index = indices.get(item);
  if (index === undefined) {
    index = list.push(item) - 1;
    indices.set(item, index);
  }
  return index;
}

/** Event `i`'s exposure, if it records one. */
export function exposureAt(c: CountedColumns, i: number): ExposureTarget | undefined {
  const index = c.exposure[i]!;
  return index === 0 ? undefined : c.exposureTargets[index - 1];
}

/** Event `i`'s amounts, if any, as objects (for callers that are not a hot path). */
export function amountsAt(c: CountedColumns, i: number): MetricAmount[] | undefined {
  const end = c.amountStart[i + 1]!;
  if (end === c.amountStart[i]) return undefined;
  const amounts: MetricAmount[] = [];
  for (let a = c.amountStart[i]!; a < end; a++) {
    amounts.push({ target: c.metricTargets[c.amountTarget[a]!]!, amount: c.amountValue[a]! });
  }
  return amounts;
}

/** A batch by column (see `CountedColumns`). */
export function toColumns({ environment, events }: CountedBatch): CountedColumns {
  const n = events.length;
  const columns = emptyColumns(environment, events[0]?.receivedAt ?? '', n);
  const counting = new CountingColumns(columns);
  let sameTime = true;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    columns.ids[i] = e.id;
    columns.types[i] = e.type;
    columns.units[i] = e.unit;
    columns.timestamps[i] = e.timestamp;
    columns.properties[i] = e.propertiesJson;
    counting.add(e.exposure, e.amounts);
    sameTime &&= e.receivedAt === columns.receivedAt;
  }
  if (!sameTime) columns.receivedAt = events.map((e) => e.receivedAt);
  return counting.finish();
}

/** The receipt time of event `i` of a batch by column. */
export function receivedAtOf(c: CountedColumns, i: number): string {
  return typeof c.receivedAt === 'string' ? c.receivedAt : c.receivedAt[i]!;
}

/** The events' rows of a batch by column (without what they count for), in order. */
export function eventRows(c: CountedColumns): EventRow[] {
  const n = c.ids.length;
  const rows = new Array<EventRow>(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      id: c.ids[i]!,
      environment: c.environment,
      type: c.types[i]!,
      unit: c.units[i] ?? null,
      timestamp: c.timestamps[i]!,
      receivedAt: receivedAtOf(c, i),
      propertiesJson: c.properties[i]!,
    };
  }
  return rows;
}
