import type { EventRow } from '../store/ingest-queries';
import type { ExposureTarget, MetricAmount } from './event-counting';
import type { CountedBatch } from './store-batches';

/**
 * A counted batch laid out by column: how `storeCountedBatches` takes it, and how it goes to the
 * ingestion worker (copying arrays of strings costs about half what copying as many small objects
 * does, each object carrying its key names; and the worker stores them without making an object
 * per event). The receipt time, the same for every event of a batch the ingestor makes, is held
 * once then.
 */
export interface CountedColumns {
  environment: string;
  receivedAt: string | string[];
  ids: string[];
  types: string[];
  units: (string | null)[];
  timestamps: Float64Array;
  properties: string[];
  exposures: (ExposureTarget | undefined)[];
  amounts: (MetricAmount[] | undefined)[];
}

/** Columns for `n` events, to fill in (the receipt time of each: `receivedAt`). */
export function emptyColumns(environment: string, receivedAt: string, n: number): CountedColumns {
  return {
    environment,
    receivedAt,
    ids: new Array<string>(n),
    types: new Array<string>(n),
    units: new Array<string | null>(n),
    timestamps: new Float64Array(n),
    properties: new Array<string>(n),
    exposures: new Array<ExposureTarget | undefined>(n),
    amounts: new Array<MetricAmount[] | undefined>(n),
  };
}

/** A batch by column (see `CountedColumns`). */
export function toColumns({ environment, events }: CountedBatch): CountedColumns {
  const n = events.length;
  const columns = emptyColumns(environment, events[0]?.receivedAt ?? '', n);
  let sameTime = true;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    columns.ids[i] = e.id;
    columns.types[i] = e.type;
    columns.units[i] = e.unit;
    columns.timestamps[i] = e.timestamp;
    columns.properties[i] = e.propertiesJson;
    columns.exposures[i] = e.exposure;
    columns.amounts[i] = e.amounts;
    sameTime &&= e.receivedAt === columns.receivedAt;
  }
  if (!sameTime) columns.receivedAt = events.map((e) => e.receivedAt);
  return columns;
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
