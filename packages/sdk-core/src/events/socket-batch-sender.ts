import type { Clock, TimerHandle } from '../platform/clock';
import type { EventsResponse } from '../protocol/events-response';
import type { SyncClient } from '../sync/sync-client';
import { DeliveryError } from './event-batch';
import type { BatchSender, DeliveryFailure } from './event-batch';

interface PendingAck {
  resolve(response: EventsResponse): void;
  reject(error: DeliveryError): void;
  timer: TimerHandle;
}

/**
 * The failure an `error` message about a batch means. The server names its codes; those that
 * say the batch itself is malformed or too big are not worth retrying as is, everything else
 * (rate limits, storage trouble) is.
 */
export function failureOfErrorCode(code: string): DeliveryFailure {
  if (/too[_-]?large|payload|too[_-]?many/i.test(code)) return 'too-large';
  if (/bad|invalid|validation|malformed/i.test(code)) return 'invalid';
  return 'retry';
}

/**
 * Sends batches as `events` messages on the live socket and resolves on the `ack` with the same
 * batchId. The socket going down, an `error` for the batch or no ack within `ackTimeoutMs` fail
 * the delivery; the queue then retries the same batch, and the server's dedup by event id keeps
 * a batch that was in fact stored from counting twice.
 */
export function socketBatchSender(
  sync: SyncClient,
  clock: Clock,
  ackTimeoutMs: number,
): BatchSender {
  const pending = new Map<string, PendingAck>();
  const settle = (batchId: string): PendingAck | undefined => {
    const entry = pending.get(batchId);
    if (entry) {
      clock.clearTimeout(entry.timer);
      pending.delete(batchId);
    }
    return entry;
  };
  sync.onMessage('ack', (ack) => settle(ack.batchId)?.resolve(ack));
  sync.onMessage('error', (error) => {
    if (error.batchId === undefined) return;
    const failure = failureOfErrorCode(error.code);
    settle(error.batchId)?.reject(new DeliveryError(failure, `${error.code}: ${error.message}`));
  });
  sync.onDown(() => {
    for (const batchId of [...pending.keys()]) {
      settle(batchId)?.reject(new DeliveryError('retry', 'the connection closed before the ack'));
    }
  });
  return (batch) =>
    new Promise((resolve, reject) => {
      settle(batch.batchId)?.reject(new DeliveryError('retry', 'sent again'));
      const timer = clock.setTimeout(() => {
        settle(batch.batchId)?.reject(
          new DeliveryError('retry', `no ack within ${ackTimeoutMs} ms`),
        );
      }, ackTimeoutMs);
      pending.set(batch.batchId, { resolve, reject, timer });
      const sent = sync.send({ type: 'events', batchId: batch.batchId, events: [...batch.events] });
      if (!sent) settle(batch.batchId)?.reject(new DeliveryError('retry', 'no live connection'));
    });
}
