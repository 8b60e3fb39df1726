import type { Clock } from '../platform/clock';
import type { FetchLike } from '../platform/http';
import type { Decoder } from '../protocol/decoder';
import { httpRequest, parseJson, retryAfterMs } from '../protocol/http-request';
import { DeliveryError } from './event-batch';
import type { BatchSender } from './event-batch';

/** What `httpBatchSender` needs. */
export interface HttpBatchSenderOptions {
  url: string;
  key: string;
  fetch: FetchLike;
  clock: Clock;
  decoder: Decoder;
  timeoutMs: number;
}

/**
 * Sends batches with `POST /v1/events`. 200 is the server's per-event answer; 429 and 5xx are
 * retried (after Retry-After when given); 413 asks for smaller batches; another 4xx means the
 * batch itself is bad, which retrying cannot fix.
 */
export function httpBatchSender(o: HttpBatchSenderOptions): BatchSender {
  return async (batch) => {
    let res;
    try {
      res = await httpRequest(
        o.fetch,
        o.clock,
        o.url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batchId: batch.batchId, events: batch.events }),
          keepalive: true,
        },
        o.timeoutMs,
      );
    } catch (error) {
      throw new DeliveryError('retry', error instanceof Error ? error.message : 'request failed');
    }
    const where = `POST /v1/events answered ${res.status}`;
    if (res.status === 200) {
      const decoded = o.decoder.eventsResponse(parseJson(res.body));
      if (decoded.ok) return decoded.value;
      throw new DeliveryError('retry', `${where} with an unreadable body: ${decoded.error}`);
    }
    if (res.status === 413) throw new DeliveryError('too-large', where);
    if (res.status === 429)
      throw new DeliveryError(
        'retry',
        where,
        retryAfterMs(res.header('retry-after'), o.clock.now()),
      );
    // 401/403: the key may yet be fixed or restored; keep the events and keep trying, slowly.
    if (res.status === 401 || res.status === 403 || res.status === 408 || res.status >= 500) {
      throw new DeliveryError('retry', where);
    }
    throw new DeliveryError('invalid', `${where}: ${res.body.slice(0, 200)}`);
  };
}
