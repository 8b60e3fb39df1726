import { MAX_BATCH_EVENTS } from '@switchyard/core';
import type { TrackEvent } from '@switchyard/core/schema';
import type { EventOptions } from '../client/client-options';
import { SwitchyardError } from '../client/switchyard-error';
import type { SwitchyardErrorCode } from '../client/switchyard-error';
import type { Clock, TimerHandle } from '../platform/clock';
import type { EventQueueStorage } from '../platform/event-queue-storage';
import type { RandomBytes } from '../platform/random';
import type { Decoder } from '../protocol/decoder';
import { backoffDelay } from '../sync/backoff';
import { DeliveryError } from './event-batch';
import type { BatchSender, EventBatch } from './event-batch';
import { storageWriter } from './storage-writer';

/**
 * Batching, bounds and retry of an event queue: the client's `events` options (batch size 100,
 * at most core's MAX_BATCH_EVENTS; interval 2 s; bound 10,000; retry 1 s doubling up to 60 s, a
 * 429's Retry-After winning; flush timeout 10 s).
 */
export type EventQueueSettings = EventOptions;

/** What an event queue needs besides its settings. */
export interface EventQueueDeps {
  clock: Clock;
  random: RandomBytes;
  decoder: Decoder;
  /** Where unsent events outlive the queue; without it they live in memory only. */
  storage?: EventQueueStorage | undefined;
  /** Delivers a batch; absent when the client is offline (events are only kept). */
  send?: BatchSender | undefined;
  /** A new batch id (a UUID v7). */
  newId(): string;
  onError(error: SwitchyardError): void;
}

/** Holds events until the server acknowledges them; see {@link eventQueue}. */
export interface EventQueue {
  /** Events dropped because the queue was full, since the queue was created. */
  readonly dropped: number;
  /** Events not yet acknowledged (waiting or in flight). */
  readonly size: number;
  /** Resolves once the events stored by a previous run are back in the queue. */
  loaded(): Promise<void>;
  /** Queues one event (it must carry its id); never throws. */
  push(event: TrackEvent): void;
  /** The events not yet acknowledged, oldest first: the batch in flight, then those waiting. */
  unsent(): TrackEvent[];
  /**
   * Forgets waiting events that were delivered some other way (a page's unload beacon), in
   * queue and storage. Events of the batch in flight stay: that batch settles as usual, and the
   * server's dedup by event id absorbs the copy.
   */
  handOff(ids: readonly string[]): void;
  /**
   * Sends everything queued so far and resolves `true` once all of it is acknowledged (or
   * settled: rejected as invalid or dropped), or `false` after `timeoutMs` — the events are
   * then still queued, and persisted. Never rejects.
   */
  flush(timeoutMs?: number): Promise<boolean>;
  /**
   * Sends the batch waiting for a retry at once (a way to the server just opened), unless the
   * server asked for the wait (Retry-After).
   */
  retryNow(): void;
  /**
   * Flushes (up to `timeoutMs`), then stops: timers are cleared, later events are refused, and
   * the storage holds exactly what was not acknowledged. Resolves like `flush`.
   */
  close(timeoutMs?: number): Promise<boolean>;
}

/**
 * An {@link EventQueue}: batches by size and interval, sends one batch at a time, retries a
 * failed batch with backoff under the same batchId and event ids (so the server's dedup makes
 * retries harmless), drops the oldest events past a bound (`dropped` counts them), drops and
 * reports events the server rejects as invalid, halves a batch that is too large, and mirrors
 * everything to an `EventQueueStorage` so unsent events survive a restart.
 */
export function eventQueue(settings: EventQueueSettings, deps: EventQueueDeps): EventQueue {
  const { clock, send, onError, newId } = deps;
  const { maxQueueSize: maxSize = 1e4 } = settings;
  const batchSize = Math.max(1, Math.min(settings.batchSize ?? 100, MAX_BATCH_EVENTS));
  const retry = { baseMs: 1e3, maxMs: 6e4, ...settings.retry };
  const report = (code: SwitchyardErrorCode, message: string, details?: unknown) =>
    onError(new SwitchyardError(code, message, details));
  const writer = storageWriter(deps.storage, (error) => report('STORAGE', `${error}`, error));
  // Oldest first: the batch in flight, then the waiting events. Events settle in this order,
  // which is what `flush` waits on.
  let pending: TrackEvent[] = [];
  let inflight: EventBatch | undefined;
  let dropped = 0;
  let attempts = 0;
  let overflowReported = false;
  /** The interval elapsed: send what is pending even if below the batch size. */
  let due = false;
  let closed = false;
  /** Nothing is sent before the stored events are back at the front of the queue. */
  let isLoaded = false;
  /** The retry waits for a server-given Retry-After, which `flush` must not cut short. */
  let mandated = false;
  /** The batching interval while nothing is in flight, the retry delay while a batch is. */
  let timer: TimerHandle | undefined;
  /** Each waits until none of the events queued when it began is left. */
  let waiters: Array<[events: Set<TrackEvent>, resolve: (done: boolean) => void, TimerHandle]> = [];

  const unsent = (): TrackEvent[] => [...(inflight?.events ?? []), ...pending];
  const wait = (ms: number, fn: () => void): void => {
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  const wake = (): void => {
    // The oldest event left is newer than all a waiter waits for: they are all settled.
    const oldest = unsent()[0];
    waiters = waiters.filter(
      ([events, resolve, t]) =>
        (oldest && events.has(oldest)) || (clock.clearTimeout(t), resolve(true)),
    );
  };
  const countDrop = (): void => {
    dropped++;
    if (!overflowReported) report('QUEUE_OVERFLOW', `queue full (${maxSize})`);
    overflowReported = true;
  };
  const dropOldest = (): boolean => {
    const oldest = pending.shift();
    if (oldest) {
      writer.remove([oldest.id]);
      countDrop();
      wake();
    }
    return !!oldest;
  };

  const pump = (): void => {
    if (inflight || closed || !isLoaded || !send) return;
    if (!pending.length) due = false;
    else if (pending.length < batchSize && !due && !waiters.length) {
      if (timer === undefined)
        wait(settings.flushIntervalMs ?? 2e3, () => {
          due = true;
          pump();
        });
    } else {
      // The interval restarts after this batch settles for whatever is left.
      clock.clearTimeout(timer);
      timer = undefined;
      transmit({ batchId: newId(), events: pending.splice(0, batchSize) });
    }
  };

  const transmit = (batch: EventBatch): void => {
    inflight = batch;
    send!({ ...batch }).then(
      ({ rejected = [] }) => {
        if (inflight !== batch) return;
        if (rejected.length) {
          report('EVENTS_REJECTED', 'events rejected', {
            batchId: batch.batchId,
            rejected,
            events: rejected.map((r) => batch.events[r.index]),
          });
        }
        attempts = 0;
        overflowReported = false;
        finish(batch);
      },
      (error: unknown) => {
        if (inflight !== batch) return;
        const { failure, message, retryAfterMs } =
          error instanceof DeliveryError ? error : new DeliveryError('retry', `${error}`);
        const list = batch.events;
        if (failure === 'too-large' && list[1]) {
          // Halve it: the first half goes now under a new id, the rest waits at the front.
          const half = Math.ceil(list.length / 2);
          pending.unshift(...list.slice(half));
          due = true;
          transmit({ batchId: newId(), events: list.slice(0, half) });
        } else if (failure !== 'retry') {
          report('EVENTS_REJECTED', message, { batchId: batch.batchId, events: list });
          finish(batch);
        } else if (!closed) {
          mandated = retryAfterMs !== undefined;
          wait(retryAfterMs ?? backoffDelay(retry, attempts++, deps.random), () => transmit(batch));
        }
      },
    );
  };

  /** The batch is settled: forget it everywhere, wake flushes, send on. */
  const finish = (batch: EventBatch): void => {
    inflight = undefined;
    writer.remove(batch.events.map((e) => e.id));
    wake();
    pump();
  };

  /** One attempt at once rather than after the backoff (unless the server asked for the wait). */
  const retryNow = (): void => {
    if (inflight && timer !== undefined && !mandated) {
      clock.clearTimeout(timer);
      timer = undefined;
      transmit(inflight);
    }
  };

  const flush = async (timeoutMs = settings.flushTimeoutMs ?? 1e4): Promise<boolean> => {
    await loaded;
    const events = unsent();
    return (
      !events.length ||
      (!!send &&
        new Promise<boolean>((resolve) => {
          const waiter: (typeof waiters)[number] = [
            new Set(events),
            resolve,
            clock.setTimeout(() => {
              waiters = waiters.filter((w) => w !== waiter);
              resolve(false);
            }, timeoutMs),
          ];
          waiters.push(waiter);
          retryNow();
          pump();
        }))
    );
  };

  // Reads the storage before any write can reach it: stored events are older than anything
  // pushed meanwhile, so they go first.
  const loaded = writer
    .load()
    .catch((error) => (report('STORAGE', `${error}`, error), []))
    .then((stored) => {
      const valid = stored.flatMap((raw) => {
        const decoded = deps.decoder.event(raw);
        return decoded.ok ? [decoded.value] : [];
      });
      pending = [...valid, ...pending];
      // Unreadable entries would otherwise stay in storage for ever.
      if (valid.length !== stored.length) writer.replace(unsent());
      while (pending.length > maxSize && dropOldest());
      due = !!valid.length;
      isLoaded = true;
      pump();
    });

  return {
    get dropped() {
      return dropped;
    },
    get size() {
      return unsent().length;
    },
    loaded: () => loaded,
    push(event) {
      if (closed) report('CLOSED', event.type);
      else if (unsent().length < maxSize || dropOldest()) {
        pending.push(event);
        writer.append(event);
        pump();
      } else countDrop();
    },
    unsent,
    handOff(ids) {
      const gone = new Set(ids);
      const removed = pending.filter((e) => gone.has(e.id));
      if (removed.length) {
        pending = pending.filter((e) => !gone.has(e.id));
        writer.remove(removed.map((e) => e.id));
        wake();
      }
    },
    flush,
    retryNow,
    async close(timeoutMs) {
      const done = await flush(timeoutMs);
      closed = true;
      clock.clearTimeout(timer);
      timer = undefined;
      await writer.idle();
      return done;
    },
  };
}
