import type { ConfigSnapshot, ServerMessage, TrackEvent } from '@switchyard/core/schema';
import type { EventsResponse } from './events-response';

/** The outcome of validating untrusted input. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Validates everything sdk-core receives from outside: server messages, HTTP bodies, bootstrap
 * payloads, cached configs and stored events. It is injected (rather than imported) so that an
 * adapter decides what the validation costs in its bundle; `schemaDecoder` is the complete one,
 * built on core's zod schemas.
 */
export interface Decoder {
  /** A parsed WebSocket frame from the server. */
  serverMessage(raw: unknown): Decoded<ServerMessage>;
  /** A config snapshot (`GET /v1/config`, a cache entry) or a bootstrap payload holding one. */
  snapshot(raw: unknown): Decoded<ConfigSnapshot>;
  /** The body of a `POST /v1/events` answer. */
  eventsResponse(raw: unknown): Decoded<EventsResponse>;
  /** An event read back from storage. */
  event(raw: unknown): Decoded<TrackEvent>;
}
