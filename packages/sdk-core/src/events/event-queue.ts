import { MAX_BATCH_EVENTS } from '@switchyard/core';
import type { TrackEvent } from '@switchyard/core/schema';
import type { EventOptions } from '../client/client-options';
import { SwitchyardError } from '../client/switchyard-error';
import type { Clock, TimerHandle } from '../platform/clock';
import type { EventQueueStorage } from '../platform/event-queue-storage';
import type { RandomBytes } from '../platform/random';
import type { Decoder } from '../protocol/decoder';
import type { EventsResponse } from '../protocol/events-response';
import { backoffDelay } from '../sync/backoff';
import { DeliveryError } from './event-batch';
import type { BatchSender } from './event-batch';
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
  storage: EventQueueStorage;
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
   * Flushes (up to `timeoutMs`), then stops: timers are cleared, later events are refused, and
   * the storage holds exactly what was not acknowledged. Resolves like `flush`.
   */
  close(timeoutMs?: number): Promise<boolean>;
}

interface Batch {
  batchId: string;
  events: TrackEvent[];
}

/**
 * An {@link EventQueue}: batches by size and interval, sends one batch at a time, retries a
 * failed batch with backoff under the same batchId and event ids (so the server's dedup makes
 * retries harmless), drops the oldest events past a bound (`dropped` counts them), drops and
 * reports events the server rejects as invalid, halves a batch that is too large, and mirrors
 * everything to an `EventQueueStorage` so unsent events survive a restart.
 */
export function eventQueue(settings: EventQueueSettings, deps: EventQueueDeps): EventQueue {
  const { clock, send, onError } = deps;
  const batchSize = Math.max(1, Math.min(settings.batchSize ?? 100, MAX_BATCH_EVENTS));
  const maxSize = settings.maxQueueSize ?? 10_000;
  const retry = { baseMs: 1000, maxMs: 60_000, ...settings.retry };
  const writer = storageWriter(deps.storage, (error) =>
    onError(new SwitchyardError('STORAGE', `${error}`, error)),
  );
  // Oldest first: the batch in flight, then the waiting events. Events settle in this order,
  // which is what `flush` waits on.
  let pending: TrackEvent[] = [];
  let inflight: Batch | undefined;
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
  let intervalTimer: TimerHandle | undefined;
  let retryTimer: TimerHandle | undefined;
  /** Each waits until none of the events queued when it began is left. */
  let waiters: Array<{
    events: Set<TrackEvent>;
    resolve(done: boolean): void;
    timer: TimerHandle;
  }> = [];

  const events = (): TrackEvent[] => [...(inflight?.events ?? []), ...pending];
  const size = (): number => pending.length + (inflight?.events.length ?? 0);
  const wake = (): void => {
    // The oldest event left is newer than all a waiter waits for: they are all settled.
    const oldest = inflight?.events[0] ?? pending[0];
    waiters = waiters.filter((w) => {
      if (oldest && w.events.has(oldest)) return true;
      clock.clearTimeout(w.timer);
      w.resolve(true);
      return false;
    });
  };
  const countDrop = (): void => {
    dropped++;
    if (!overflowReported) {
      overflowReported = true;
      onError(new SwitchyardError('QUEUE_OVERFLOW', `queue full (${maxSize})`));
    }
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
    if (inflight || retryTimer !== undefined || closed || !isLoaded || !send) return;
    if (!pending.length) {
      due = false;
      return;
    }
    if (pending.length < batchSize && !due && !waiters.length) {
      intervalTimer ??= clock.setTimeout(() => {
        intervalTimer = undefined;
        due = true;
        pump();
      }, settings.flushIntervalMs ?? 2000);
      return;
    }
    // The interval restarts after this batch settles for whatever is left.
    clock.clearTimeout(intervalTimer);
    intervalTimer = undefined;
    inflight = { batchId: deps.newId(), events: pending.splice(0, batchSize) };
    transmit();
  };

  const transmit = (): void => {
    const batch = inflight;
    if (batch && send) {
      send({ ...batch }).then(
        (response) => acked(batch, response),
        (error: unknown) => failed(batch, error),
      );
    }
  };

  const acked = (batch: Batch, response: EventsResponse): void => {
    if (inflight !== batch) return;
    const rejected = response.rejected ?? [];
    if (rejected.length) {
      onError(
        new SwitchyardError('EVENTS_REJECTED', 'events rejected', {
          batchId: batch.batchId,
          rejected,
          events: rejected.map((r) => batch.events[r.index]),
        }),
      );
    }
    attempts = 0;
    overflowReported = false;
    finish(batch);
  };

  const failed = (batch: Batch, error: unknown): void => {
    if (inflight !== batch) return;
    const { failure, message, retryAfterMs } =
      error instanceof DeliveryError ? error : new DeliveryError('retry', String(error));
    const list = batch.events;
    if (failure === 'too-large' && list.length > 1) {
      // Halve it: the first half goes now under a new id, the rest waits at the front.
      const half = Math.ceil(list.length / 2);
      pending.unshift(...list.slice(half));
      due = true;
      inflight = { batchId: deps.newId(), events: list.slice(0, half) };
      transmit();
    } else if (failure !== 'retry') {
      onError(
        new SwitchyardError('EVENTS_REJECTED', message, {
          batchId: batch.batchId,
          events: list,
        }),
      );
      finish(batch);
    } else if (!closed) {
      mandated = retryAfterMs !== undefined;
      retryTimer = clock.setTimeout(
        () => {
          retryTimer = undefined;
          transmit();
        },
        retryAfterMs ?? backoffDelay(retry, attempts++, deps.random),
      );
    }
  };

  /** The batch is settled: forget it everywhere, wake flushes, send on. */
  const finish = (batch: Batch): void => {
    inflight = undefined;
    writer.remove(batch.events.map((e) => e.id));
    wake();
    pump();
  };

  const flush = async (timeoutMs = settings.flushTimeoutMs ?? 10_000): Promise<boolean> => {
    await loaded;
    if (!size()) return true;
    if (!send) return false;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        events: new Set(events()),
        resolve,
        timer: clock.setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      waiters.push(waiter);
      if (retryTimer !== undefined && !mandated) {
        // Asked to deliver now: one attempt at once rather than after the backoff.
        clock.clearTimeout(retryTimer);
        retryTimer = undefined;
        transmit();
      }
      pump();
    });
  };

  // Reads the storage before any write can reach it: stored events are older than anything
  // pushed meanwhile, so they go first.
  const loaded = (async () => {
    let stored: unknown[] = [];
    try {
      stored = await writer.load();
    } catch (error) {
      onError(new SwitchyardError('STORAGE', `${error}`, error));
    }
    const valid = stored.flatMap((raw) => {
      const decoded = deps.decoder.event(raw);
      return decoded.ok ? [decoded.value] : [];
    });
    pending = [...valid, ...pending];
    // Unreadable entries would otherwise stay in storage for ever.
    if (valid.length !== stored.length) writer.replace(events());
    while (size() > maxSize && dropOldest());
    if (valid.length) due = true;
    isLoaded = true;
    pump();
  })();

  return {
    get dropped() {
      return dropped;
    },
    get size() {
      return size();
    },
    loaded: () => loaded,
    push(event) {
      if (closed) {
        onError(new SwitchyardError('CLOSED', event.type));
      } else if (size() < maxSize || dropOldest()) {
        pending.push(event);
        writer.append(event);
        pump();
      } else countDrop();
    },
    unsent: events,
    handOff(ids) {
      const gone = new Set(ids);
      const removed = pending.filter((e) => gone.has(e.id));
      if (!removed.length) return;
      pending = pending.filter((e) => !gone.has(e.id));
      writer.remove(removed.map((e) => e.id));
      wake();
    },
    flush,
    async close(timeoutMs) {
      const done = await flush(timeoutMs);
      closed = true;
      clock.clearTimeout(intervalTimer);
      clock.clearTimeout(retryTimer);
      intervalTimer = retryTimer = undefined;
      await writer.idle();
      return done;
    },
  };
}
