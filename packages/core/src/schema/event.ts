import * as z from 'zod';
import { EXPOSURE_EVENT } from '../constants';
import { JsonValueSchema } from './condition';

/**
 * An event sent by an SDK. `id` is client-generated and makes ingestion idempotent;
 * time-ordered UUID v7 ids are the fast path, any other unique string is accepted.
 * `timestamp` is milliseconds since the epoch or an ISO-8601 string.
 */
export const TrackEventSchema = z.object({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(200),
  timestamp: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
  /** The unit (e.g. the user id) the event belongs to. */
  unit: z.string().min(1).max(512).optional(),
  properties: z.record(z.string(), JsonValueSchema).optional(),
});
export type TrackEvent = z.infer<typeof TrackEventSchema>;

/** An exposure: `unit` saw `variant` of `experiment` (optionally through `flag`). */
export const ExposureEventSchema = TrackEventSchema.extend({
  type: z.literal(EXPOSURE_EVENT),
  unit: z.string().min(1).max(512),
  properties: z
    .object({
      experiment: z.string().min(1),
      variant: z.string().min(1),
      flag: z.string().min(1).optional(),
    })
    .catchall(JsonValueSchema),
});
export type ExposureEvent = z.infer<typeof ExposureEventSchema>;

/** Any ingested event: exposures are validated strictly, others as track events. */
export const EventSchema = z
  .union([ExposureEventSchema, TrackEventSchema])
  .superRefine((e, ctx) => {
    if (e.type === EXPOSURE_EVENT && !ExposureEventSchema.safeParse(e).success) {
      ctx.addIssue({
        code: 'custom',
        message: 'an $exposure needs unit, properties.experiment and properties.variant',
      });
    }
  });
export type IngestEvent = z.infer<typeof EventSchema>;
