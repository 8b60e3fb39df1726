import type { ClientOptions, Platform } from '../client/client-options';
import { httpRequest, parseJson, retryAfterMs } from '../protocol/http-request';
import { DeliveryError } from './event-batch';
import type { BatchSender } from './event-batch';

/** Makes the sender of `POST /v1/events` (at `url`) for a client; `httpEventPoster` is the one there is. */
export type EventPoster = (url: string, options: ClientOptions, platform: Platform) => BatchSender;

/**
 * Event delivery over HTTP while the socket is not live, for `platform.eventPoster` (opt-in with
 * the rest of the HTTP fallback, so that a browser bundle without it does not carry it; sdk-node
 * plugs it in). 200 is the server's per-event answer; 429 and 5xx are retried (after Retry-After
 * when given), and so are 401/403 (the key may yet be fixed or restored: keep the events and keep
 * trying, slowly); 413 asks for smaller batches; another 4xx means the batch itself is bad,
 * which retrying cannot fix.
 */
export const httpEventPoster: EventPoster =
  (url, options, { clock, fetch, decoder }) =>
  ({ batchId, events }) =>
    httpRequest(
      fetch!,
      clock,
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batchId, events }),
        keepalive: true,
      },
      options.requestTimeoutMs ?? 10_000,
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
        `${answered}: ${body.slice(0, 200)}`,
        status === 429 ? retryAfterMs(header('retry-after'), clock.now()) : undefined,
      );
    });
