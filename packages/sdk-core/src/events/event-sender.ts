import type { ClientOptions, Platform } from '../client/client-options';
import type { TimerHandle } from '../platform/clock';
import type { Endpoints } from '../protocol/endpoints';
import type { EventsResponse } from '../protocol/events-response';
import { httpRequest, parseJson, retryAfterMs } from '../protocol/http-request';
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
 * Delivers a batch over the live socket when there is one (no extra connection), else with
 * `POST /v1/events`; with neither, the batch waits for a retry.
 *
 * Over the socket, a batch goes as an `events` message and resolves on the `ack` with the same
 * batchId. The socket going down, an `error` for the batch or no ack within `ackTimeoutMs` fail
 * the delivery; the queue then retries the same batch, and the server's dedup by event id keeps
 * a batch that was in fact stored from counting twice.
 *
 * Over HTTP, 200 is the server's per-event answer; 429 and 5xx are retried (after Retry-After
 * when given), and so are 401/403 (the key may yet be fixed or restored: keep the events and
 * keep trying, slowly); 413 asks for smaller batches; another 4xx means the batch itself is bad,
 * which retrying cannot fix.
 */
export function eventSender(
  sync: SyncClient,
  endpoints: Endpoints,
  options: ClientOptions,
  { clock, fetch, decoder }: Platform,
): BatchSender {
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

  return ({ batchId, events }) =>
    sync.live
      ? new Promise((resolve, reject) => {
          retry('sent again');
          awaited = [
            batchId,
            resolve,
            reject,
            clock.setTimeout(() => retry('no ack', batchId), options.events?.ackTimeoutMs ?? 1e4),
          ];
          if (!sync.send({ type: 'events', batchId, events: [...events] })) retry('not live');
        })
      : fetch
        ? httpRequest(
            fetch,
            clock,
            endpoints.events,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${options.key}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ batchId, events }),
              keepalive: true,
            },
            options.requestTimeoutMs ?? 1e4,
          ).then(({ status, body, header }) => {
            const answered = `POST /v1/events answered ${status}`;
            if (status === 200) {
              const decoded = decoder.eventsResponse(parseJson(body));
              if (decoded.ok) return decoded.value;
              throw new DeliveryError('retry', `${answered}: ${decoded.error}`);
            }
            throw new DeliveryError(
              status === 413
                ? 'too-large'
                : status < 500 && ![401, 403, 408, 429].includes(status)
                  ? 'invalid'
                  : 'retry',
              answered,
              status === 429 ? retryAfterMs(header('retry-after'), clock.now()) : undefined,
            );
          })
        : Promise.reject(new DeliveryError('retry', 'not connected'));
}
