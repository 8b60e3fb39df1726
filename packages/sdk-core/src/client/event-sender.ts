import type { BatchSender } from '../events/event-batch';
import { DeliveryError } from '../events/event-batch';
import { httpBatchSender } from '../events/http-batch-sender';
import { socketBatchSender } from '../events/socket-batch-sender';
import type { Endpoints } from '../protocol/endpoints';
import type { SyncClient } from '../sync/sync-client';
import type { Platform } from './client-options';

/** What `eventSender` needs. */
export interface EventSenderOptions {
  sync: SyncClient;
  endpoints: Endpoints;
  key: string;
  platform: Platform;
  ackTimeoutMs: number;
  requestTimeoutMs: number;
}

/**
 * Delivers a batch over the live socket when there is one (no extra connection, ack by
 * batchId), else with `POST /v1/events`; with neither, the batch waits for a retry.
 */
export function eventSender(o: EventSenderOptions): BatchSender {
  const { clock, fetch, decoder } = o.platform;
  const overSocket = socketBatchSender(o.sync, clock, o.ackTimeoutMs);
  const overHttp = fetch
    ? httpBatchSender({
        url: o.endpoints.events,
        key: o.key,
        fetch,
        clock,
        decoder,
        timeoutMs: o.requestTimeoutMs,
      })
    : undefined;
  return (batch) => {
    if (o.sync.live) return overSocket(batch);
    if (overHttp) return overHttp(batch);
    return Promise.reject(new DeliveryError('retry', 'not connected'));
  };
}
