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

interface Entry {
  /** Order of arrival: events settle in this order, which is what `flush` waits on. */
  seq: number;
  event: TrackEvent;
}

interface Batch {
  batchId: string;
  entries: Entry[];
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
    onError(new SwitchyardError('STORAGE', `event storage: ${error}`, error)),
  );
  let pending: Entry[] = [];
  let inflight: Batch | undefined;
  let nextSeq = 0;
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
  let waiters: Array<{ upTo: number; resolve(done: boolean): void; timer: TimerHandle }> = [];

  const entries = (): Entry[] => [...(inflight?.entries ?? []), ...pending];
  const size = (): number => pending.length + (inflight?.entries.length ?? 0);
  const settledUpTo = (upTo: number): boolean => {
    const oldest = (inflight?.entries[0] ?? pending[0])?.seq;
    return oldest === undefined || oldest > upTo;
  };
  const wake = (): void => {
    waiters = waiters.filter((w) => {
      if (!settledUpTo(w.upTo)) return true;
      clock.clearTimeout(w.timer);
      w.resolve(true);
      return false;
    });
  };
  const countDrop = (): void => {
    dropped++;
    if (!overflowReported) {
      overflowReported = true;
      onError(
        new SwitchyardError('QUEUE_OVERFLOW', `queue full (${maxSize}): dropping the oldest`),
      );
    }
  };
  const dropOldest = (): boolean => {
    const oldest = pending.shift();
    if (oldest) {
      writer.remove([oldest.event.id]);
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
    inflight = { batchId: deps.newId(), entries: pending.splice(0, batchSize) };
    transmit();
  };

  const transmit = (): void => {
    const batch = inflight;
    if (!batch || !send) return;
    send({ batchId: batch.batchId, events: batch.entries.map((e) => e.event) }).then(
      (response) => acked(batch, response),
      (error: unknown) => failed(batch, error),
    );
  };

  const acked = (batch: Batch, response: EventsResponse): void => {
    if (inflight !== batch) return;
    const rejected = response.rejected ?? [];
    if (rejected.length) {
      const events = rejected.map((r) => batch.entries[r.index]?.event);
      onError(
        new SwitchyardError('EVENTS_REJECTED', `${rejected.length} event(s) rejected as invalid`, {
          batchId: batch.batchId,
          rejected,
          events,
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
    const list = batch.entries;
    if (failure === 'too-large' && list.length > 1) {
      // Halve it: the first half goes now under a new id, the rest waits at the front.
      const half = Math.ceil(list.length / 2);
      pending.unshift(...list.slice(half));
      due = true;
      inflight = { batchId: deps.newId(), entries: list.slice(0, half) };
      transmit();
    } else if (failure !== 'retry') {
      const events = list.map((e) => e.event);
      onError(
        new SwitchyardError('EVENTS_REJECTED', `${events.length} event(s) refused: ${message}`, {
          batchId: batch.batchId,
          events,
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
    writer.remove(batch.entries.map((e) => e.event.id));
    wake();
    pump();
  };

  const flush = async (timeoutMs = settings.flushTimeoutMs ?? 10_000): Promise<boolean> => {
    await loaded;
    const upTo = nextSeq - 1;
    if (settledUpTo(upTo)) return true;
    if (!send) return false;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        upTo,
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
  // pushed meanwhile, so they go first, with lower seqs.
  const loaded = (async () => {
    let stored: unknown[] = [];
    try {
      stored = await writer.load();
    } catch (error) {
      onError(new SwitchyardError('STORAGE', `could not load queued events: ${error}`, error));
    }
    const events = stored.flatMap((raw) => {
      const decoded = deps.decoder.event(raw);
      return decoded.ok ? [decoded.value] : [];
    });
    pending = [...events.map((event, i) => ({ seq: i - events.length, event })), ...pending];
    // Unreadable entries would otherwise stay in storage for ever.
    if (events.length !== stored.length) writer.replace(entries().map((e) => e.event));
    while (size() > maxSize && dropOldest());
    if (events.length) due = true;
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
        onError(new SwitchyardError('CLOSED', `"${event.type}" tracked after close`));
      } else if (size() < maxSize || dropOldest()) {
        pending.push({ seq: nextSeq++, event });
        writer.append(event);
        pump();
      } else countDrop();
    },
    unsent: () => entries().map((e) => e.event),
    handOff(ids) {
      const gone = new Set(ids);
      const removed = pending.filter((e) => gone.has(e.event.id));
      if (!removed.length) return;
      pending = pending.filter((e) => !gone.has(e.event.id));
      writer.remove(removed.map((e) => e.event.id));
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
