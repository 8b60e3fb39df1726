import type { CountedEvent, ExposureTarget, MetricAmount } from './event-counting';
import type { CountedBatch } from './store-batches';

/**
 * A counted batch laid out by column, to hand to another thread: copying arrays of strings costs
 * about half what copying as many small objects does (each object carries its key names). The
 * receipt time, the same for every event of a batch the ingestor makes, is sent once then.
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

/** A batch by column (see `CountedColumns`). */
export function toColumns({ environment, events }: CountedBatch): CountedColumns {
  const n = events.length;
  const columns: CountedColumns = {
    environment,
    receivedAt: events[0]?.receivedAt ?? '',
    ids: new Array<string>(n),
    types: new Array<string>(n),
    units: new Array<string | null>(n),
    timestamps: new Float64Array(n),
    properties: new Array<string>(n),
    exposures: new Array<ExposureTarget | undefined>(n),
    amounts: new Array<MetricAmount[] | undefined>(n),
  };
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

/** The batch `toColumns` laid out. */
export function fromColumns(c: CountedColumns): CountedBatch {
  const n = c.ids.length;
  const events = new Array<CountedEvent>(n);
  for (let i = 0; i < n; i++) {
    const event: CountedEvent = {
      id: c.ids[i]!,
      environment: c.environment,
      type: c.types[i]!,
      unit: c.units[i] ?? null,
      timestamp: c.timestamps[i]!,
      receivedAt: typeof c.receivedAt === 'string' ? c.receivedAt : c.receivedAt[i]!,
      propertiesJson: c.properties[i]!,
    };
    const exposure = c.exposures[i];
    if (exposure) event.exposure = exposure;
    const amounts = c.amounts[i];
    if (amounts) event.amounts = amounts;
    events[i] = event;
  }
  return { environment: c.environment, events };
}
