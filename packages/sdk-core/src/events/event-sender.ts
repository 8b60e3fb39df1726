import type { ClientOptions, Platform } from '../client/client-options';
import type { TimerHandle } from '../platform/clock';
import type { Endpoints } from '../protocol/endpoints';
import type { EventsResponse } from '../protocol/events-response';
import type { SyncClient } from '../sync/sync-client';
import { DeliveryError } from './event-batch';
import type { BatchSender, DeliveryFailure } from './event-batch';

/**
 * The failure an `error` message about a batch means. The server names its codes; those that
 * say the batch itself is malformed or too big are not worth retrying as is, everything else
 * (rate limits, storage trouble) is.
 */
export const failureOfErrorCode = (code: string): DeliveryFailure =>
  /too.?(large|many)|payload/i.test(code)
    ? 'too-large'
    : /bad|invalid|malformed/i.test(code)
      ? 'invalid'
      : 'retry';

/**
 * Delivers a batch over the live socket when there is one (no extra connection), else with the
 * platform's `eventPoster` (`POST /v1/events`) if it has one; otherwise the batch waits for a
 * retry.
 *
 * Over the socket, a batch goes as an `events` message and resolves on the `ack` with the same
 * batchId. The socket going down, an `error` for the batch or no ack within `ackTimeoutMs` fail
 * the delivery; the queue then retries the same batch, and the server's dedup by event id keeps
 * a batch that was in fact stored from counting twice.
 */
export function eventSender(
  sync: SyncClient,
  endpoints: Endpoints,
  options: ClientOptions,
  platform: Platform,
): BatchSender {
  const { clock } = platform;
  // The queue sends one batch at a time, so one ack is awaited at most.
  let awaited:
    [batchId: string, (r: EventsResponse) => void, (e: unknown) => void, TimerHandle] | undefined;
  /** Stops awaiting the ack of `batchId` (of any batch when undefined) and hands back its settlers. */
  const take = (batchId?: string) => {
    const a = awaited;
    if (a && (batchId ?? a[0]) === a[0]) {
      awaited = undefined;
      clock.clearTimeout(a[3]);
      return a;
    }
  };
  const retry = (message: string, batchId?: string) =>
    take(batchId)?.[2](new DeliveryError('retry', message));
  sync.onMessage('ack', (ack) => take(ack.batchId)?.[1](ack));
  sync.onMessage('error', ({ batchId, code, message }) => {
    if (batchId)
      take(batchId)?.[2](new DeliveryError(failureOfErrorCode(code), `${code}: ${message}`));
  });
  sync.onDown(() => retry('down'));

  const post = platform.fetch && platform.eventPoster?.(endpoints.events, options, platform);
  return (batch) =>
    sync.live
      ? new Promise((resolve, reject) => {
          const { batchId } = batch;
          retry('sent again');
          awaited = [
            batchId,
            resolve,
            reject,
            clock.setTimeout(() => retry('no ack', batchId), options.events?.ackTimeoutMs ?? 1e4),
          ];
          if (!sync.send({ type: 'events', batchId, events: [...batch.events] })) retry('not live');
        })
      : post
        ? post(batch)
        : Promise.reject(new DeliveryError('retry', 'not connected'));
}
