import type { RejectedEvent } from '@switchyard/core/schema';

/** The server's answer to a batch of events, over HTTP or as a socket `ack`. */
export interface EventsResponse {
  batchId: string;
  accepted: number;
  duplicates?: number;
  rejected?: RejectedEvent[];
}
