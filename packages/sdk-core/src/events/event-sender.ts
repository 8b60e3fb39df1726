import type { ClientOptions, Platform } from '../client/client-options';
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
  /too[_-]?large|payload|too[_-]?many/i.test(code)
    ? 'too-large'
    : /bad|invalid|validation|malformed/i.test(code)
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
  platform: Platform,
): BatchSender {
  const { clock, fetch, decoder } = platform;
  const ackTimeoutMs = options.events?.ackTimeoutMs ?? 10_000;
  const acks = new Map<
    string,
    [(r: EventsResponse) => void, (e: DeliveryError) => void, unknown]
  >();
  const settle = (batchId: string) => {
    const entry = acks.get(batchId);
    clock.clearTimeout(entry?.[2]);
    acks.delete(batchId);
    return entry;
  };
  const fail = (batchId: string, failure: DeliveryFailure, message: string) =>
    settle(batchId)?.[1](new DeliveryError(failure, message));
  sync.onMessage('ack', (ack) => settle(ack.batchId)?.[0](ack));
  sync.onMessage('error', ({ batchId, code, message }) => {
    if (batchId !== undefined) fail(batchId, failureOfErrorCode(code), `${code}: ${message}`);
  });
  sync.onDown(() => {
    for (const batchId of [...acks.keys()]) fail(batchId, 'retry', 'down');
  });

  const overSocket: BatchSender = ({ batchId, events }) =>
    new Promise((resolve, reject) => {
      fail(batchId, 'retry', 'sent again');
      const timer = clock.setTimeout(() => fail(batchId, 'retry', 'no ack'), ackTimeoutMs);
      acks.set(batchId, [resolve, reject, timer]);
      if (!sync.send({ type: 'events', batchId, events: [...events] }))
        fail(batchId, 'retry', 'not live');
    });

  const overHttp: BatchSender = async ({ batchId, events }) => {
    let res;
    try {
      res = await httpRequest(
        fetch!,
        clock,
        endpoints.events,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batchId, events }),
          keepalive: true,
        },
        options.requestTimeoutMs ?? 10_000,
      );
    } catch (error) {
      throw new DeliveryError('retry', String(error));
    }
    const { status } = res;
    const answered = `POST /v1/events answered ${status}`;
    if (status === 200) {
      const decoded = decoder.eventsResponse(parseJson(res.body));
      if (decoded.ok) return decoded.value;
      throw new DeliveryError('retry', `${answered}: ${decoded.error}`);
    }
    throw status === 413
      ? new DeliveryError('too-large', answered)
      : status === 429
        ? new DeliveryError('retry', answered, retryAfterMs(res.header('retry-after'), clock.now()))
        : [401, 403, 408].includes(status) || status > 499
          ? new DeliveryError('retry', answered)
          : new DeliveryError('invalid', `${answered}: ${res.body.slice(0, 200)}`);
  };

  return (batch) =>
    sync.live
      ? overSocket(batch)
      : fetch
        ? overHttp(batch)
        : Promise.reject(new DeliveryError('retry', 'not connected'));
}
