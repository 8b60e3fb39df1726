import type { IngestEvent, RejectedEvent } from '@switchyard/core/schema';
import { EXPOSURE_EVENT } from '@switchyard/core';
import {
  EventSchema,
  EventsMessageSchema,
  ExposureEventSchema,
  TrackEventSchema,
} from '@switchyard/core/schema';
import type { StoredEvent } from '../store/records';
import type { CountedColumns } from './counted-columns';
import { CountingColumns, emptyColumns } from './counted-columns';
import { amountsFor, exposureFor } from './event-counting';
import type { MetricCatalog } from './metric-catalog';
import { readPlainEvent } from './plain-event';

/**
 * The body of `POST /v1/events`: the socket's `events` message without its type, the batch id
 * optional (one is made up when absent). At most MAX_BATCH_EVENTS events.
 */
export const EventsBodySchema = EventsMessageSchema.omit({ type: true }).extend({
  batchId: EventsMessageSchema.shape.batchId.optional(),
});

/** A batch split into the events that can be stored and the ones refused, with reasons. */
export interface CheckedEvents {
  valid: IngestEvent[];
  rejected: RejectedEvent[];
}

/**
 * Parses one event with the same verdict and output as core's EventSchema: plainly valid events
 * (what SDKs send) without zod (see `readPlainEvent`), the rest through the schema branch their
 * type names (the union would first try every track event as an exposure, and building that
 * failure costs as much again as the parse).
 */
export function parseEvent(candidate: unknown) {
  const plain = readPlainEvent(candidate);
  if (plain !== undefined) return { success: true as const, data: plain };
  const type = (candidate as { type?: unknown } | null)?.type;
  if (type === EXPOSURE_EVENT) return ExposureEventSchema.safeParse(candidate);
  if (typeof type === 'string') return TrackEventSchema.safeParse(candidate);
  return EventSchema.safeParse(candidate);
}

/** Validates each event on its own: a bad one is refused with its index, id and reason. */
export function checkEvents(raw: readonly unknown[]): CheckedEvents {
  const valid: IngestEvent[] = [];
  const rejected: RejectedEvent[] = [];
  raw.forEach((candidate, index) => {
    const parsed = parseEvent(candidate);
    if (parsed.success) {
      valid.push(parsed.data);
      return;
    }
    const id = (candidate as { id?: unknown } | null)?.id;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
    rejected.push({
      index,
      ...(typeof id === 'string' ? { id: id.slice(0, 128) } : {}),
      code: 'invalid_event',
      message: `${issue?.message ?? 'invalid event'}${where}`,
    });
  });
  return { valid, rejected };
}

/** The event's own time in ms, or its receipt time when it gave none. */
function timeOf(event: IngestEvent, received: Date): number {
  if (event.timestamp === undefined) return received.getTime();
  return typeof event.timestamp === 'number' ? event.timestamp : Date.parse(event.timestamp);
}

/** An event as stored: its time in ms (the receipt time when it gave none). */
export function toStoredEvent(
  event: IngestEvent,
  environment: string,
  received: Date,
): StoredEvent {
  return {
    id: event.id,
    environment,
    type: event.type,
    unit: event.unit ?? null,
    timestamp: timeOf(event, received),
    receivedAt: received.toISOString(),
    properties: event.properties ?? {},
  };
}

/**
 * A batch of valid events as `toStoredEvent` stores them, laid out by column with what each
 * counts for under `catalog` (see `addCounting`), straight from the events: no row per event.
 */
export function toCountedColumns(
  events: readonly IngestEvent[],
  environment: string,
  received: Date,
  catalog: MetricCatalog | undefined,
): CountedColumns {
  const n = events.length;
  const columns = emptyColumns(environment, received.toISOString(), n);
  const counting = new CountingColumns(columns);
  for (let i = 0; i < n; i++) {
    const event = events[i]!;
    const properties = event.properties ?? {};
    const { type } = event;
    const unit = event.unit ?? null;
    columns.ids[i] = event.id;
    columns.types[i] = type;
    columns.units[i] = unit;
    columns.timestamps[i] = timeOf(event, received);
    columns.properties[i] = JSON.stringify(properties);
    const counted = catalog !== undefined && unit !== null;
    counting.add(
      counted ? exposureFor(type, properties, catalog) : undefined,
      counted ? amountsFor(type, properties, catalog) : undefined,
    );
  }
  return counting.finish();
}
