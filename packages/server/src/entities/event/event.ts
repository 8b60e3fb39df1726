import { JsonValueSchema } from '@switchyard/core/schema';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { NotFoundError } from '../../errors';
import { storeCountedEvent } from '../../ingest/store-event';
import type { StoredEvent } from '../../store/records';
import { readVerb, writeVerb } from '../../verbs/verb';
import { FindInputSchema, GetInputSchema, InstantSchema, findIn } from '../common';

/** Most stored events a `find` looks through: the newest, in the order stored. */
const FIND_WINDOW = 10_000;

/** An event created through the management API; the id makes it idempotent. */
export const EventCreateSchema = z.strictObject({
  /** Client-chosen id (default: a fresh UUID); creating the same id twice stores it once. */
  id: z.string().min(1).max(128).optional(),
  type: z.string().min(1).max(200),
  /** The unit (e.g. the user id) the event belongs to. */
  unit: z.string().min(1).max(512).optional(),
  timestamp: InstantSchema.optional(),
  properties: z.record(z.string(), JsonValueSchema).optional(),
});

/** The verbs of events (the SDKs' high-volume path is the ingestion endpoint, not these). */
export const eventVerbs = {
  create: writeVerb({
    input: EventCreateSchema,
    async apply(tx, input, call) {
      const event: StoredEvent = {
        id: input.id ?? randomUUID(),
        environment: call.environment,
        type: input.type,
        unit: input.unit ?? null,
        timestamp: new Date(input.timestamp ?? call.now).getTime(),
        receivedAt: call.now.toISOString(),
        properties: input.properties ?? {},
      };
      if (!(await storeCountedEvent(tx, event))) {
        // A repeat of a stored event: nothing changes, no domain event.
        return { result: (await tx.getEvent(event.id)) ?? event };
      }
      const variant = event.properties.variant;
      return {
        result: event,
        event: {
          entityType: 'Event',
          entityId: event.id,
          payload: { type: event.type, variant: variant === undefined ? null : variant },
          state: { ...event },
        },
      };
    },
  }),
  get: readVerb({
    input: GetInputSchema,
    async read(reader, input, call) {
      const event = await reader.getEvent(input.id);
      if (!event || event.environment !== call.environment) {
        throw new NotFoundError(`no Event '${input.id}' in environment '${call.environment}'`);
      }
      return event;
    },
  }),
  find: readVerb({
    input: FindInputSchema.omit({ asOf: true }),
    async read(reader, input, call) {
      const newest = await reader.listEvents(call.environment, { limit: FIND_WINDOW }, true);
      return findIn(newest.reverse(), input);
    },
  }),
};

/** The verbs of events, by name. */
export type EventVerbs = typeof eventVerbs;
