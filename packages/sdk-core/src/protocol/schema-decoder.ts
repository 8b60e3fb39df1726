import * as z from 'zod';
import {
  AckMessageSchema,
  ConfigSnapshotSchema,
  ServerMessageSchema,
  TrackEventSchema,
} from '@switchyard/core/schema';
import type { Decoded, Decoder } from './decoder';

const EventsResponseSchema = AckMessageSchema.omit({ type: true });

/** A bootstrap payload (see `BootstrapPayload`) or a bare snapshot. */
const SnapshotOrPayloadSchema = z.union([
  ConfigSnapshotSchema,
  z.object({ config: ConfigSnapshotSchema }).transform((p) => p.config),
]);

function decodeWith<T>(schema: z.ZodType<T>): (raw: unknown) => Decoded<T> {
  return (raw) => {
    const result = schema.safeParse(raw);
    if (result.success) return { ok: true, value: result.data };
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: `${issue?.message ?? 'invalid'}${where}` };
  };
}

/** The complete `Decoder`: every input is checked against core's zod schemas. */
export const schemaDecoder: Decoder = {
  serverMessage: decodeWith(ServerMessageSchema),
  snapshot: (raw) => {
    const decoded = decodeWith(SnapshotOrPayloadSchema)(raw);
    if (!decoded.ok) return decoded;
    // A snapshot message parses as a snapshot too; keep only the snapshot's own fields.
    const { version, environment, flags, experiments, segments } = decoded.value;
    return { ok: true, value: { version, environment, flags, experiments, segments } };
  },
  eventsResponse: decodeWith(EventsResponseSchema),
  event: decodeWith(TrackEventSchema),
};
