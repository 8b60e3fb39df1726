import type { TrackEvent } from '@switchyard/core/schema';
import type { EventsResponse } from '../protocol/events-response';

/** Events sent together. A batch keeps its id and its events' ids across retries. */
export interface EventBatch {
  batchId: string;
  events: readonly TrackEvent[];
}

/**
 * Delivers one batch and resolves with the server's answer once the batch is durable, or
 * rejects — with a `DeliveryError` to say whether and when to retry.
 */
export type BatchSender = (batch: EventBatch) => Promise<EventsResponse>;

/** How a failed delivery should be handled. */
export type DeliveryFailure =
  /** Try the same batch again later (network, 5xx, 429, no connection). */
  | 'retry'
  /** The batch as a whole is invalid: drop it and report. */
  | 'invalid'
  /** The batch is too large for the server: split it. */
  | 'too-large';

/** A failed delivery, telling the queue what to do next. */
export class DeliveryError extends Error {
  constructor(
    readonly failure: DeliveryFailure,
    message: string,
    /** The wait the server asked for (429 Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
