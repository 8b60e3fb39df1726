import { MAX_BATCH_EVENTS } from '@switchyard/core';
import type { TrackEvent } from '@switchyard/core/schema';
import { SwitchyardError } from '../client/switchyard-error';
import type { Clock, TimerHandle } from '../platform/clock';
import type { EventQueueStorage } from '../platform/event-queue-storage';
import type { RandomBytes } from '../platform/random';
import type { Decoder } from '../protocol/decoder';
import type { EventsResponse } from '../protocol/events-response';
import { Backoff } from '../sync/backoff';
import type { BackoffOptions } from '../sync/backoff';
import { DeliveryError } from './event-batch';
import type { BatchSender } from './event-batch';
import { StorageWriter } from './storage-writer';

/** Batching, bounds and retry of an `EventQueue`. */
export interface EventQueueSettings {
  /** Most events per batch (capped at core's MAX_BATCH_EVENTS). */
  batchSize: number;
  /** Longest an event waits before its batch is sent, in ms. */
  flushIntervalMs: number;
  /** Most events held; past it the oldest unsent ones are dropped and counted. */
  maxQueueSize: number;
  /** Retry delays of a failed batch (a 429's Retry-After wins). */
  retry: BackoffOptions;
  /** How long `flush()` waits by default, in ms. */
  flushTimeoutMs: number;
}

/** What an `EventQueue` needs besides its settings. */
export interface EventQueueDeps {
  clock: Clock;
  random: RandomBytes;
  decoder: Decoder;
  storage: EventQueueStorage;
  /** Delivers a batch; absent when the client is offline (events are only kept). */
  send?: BatchSender;
  /** A new batch id (a UUID v7). */
  newId(): string;
  onError(error: SwitchyardError): void;
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

interface FlushWaiter {
  upTo: number;
  resolve(done: boolean): void;
  timer: TimerHandle;
}

/**
 * Holds events until the server acknowledges them: batches by size and interval, sends one batch
 * at a time, retries a failed batch with backoff under the same batchId and event ids (so the
 * server's dedup makes retries harmless), drops the oldest events past a bound (`dropped`
 * counts them), drops and reports events the server rejects as invalid, and mirrors everything
 * to an `EventQueueStorage` so unsent events survive a restart.
 */
export class EventQueue {
  #pending: Entry[] = [];
  #inflight: Batch | undefined;
  #nextSeq = 0;
  #dropped = 0;
  #overflowReported = false;
  /** The interval elapsed: send what is pending even if below the batch size. */
  #due = false;
  #intervalTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  /** The retry waits for a server-given Retry-After, which `flush` must not cut short. */
  #retryIsServerMandated = false;
  #waiters: FlushWaiter[] = [];
  #closed = false;
  #backoff: Backoff;
  #writer: StorageWriter;
  #loaded: Promise<void>;
  /** Nothing is sent before the stored events are back at the front of the queue. */
  #isLoaded = false;

  constructor(
    private readonly settings: EventQueueSettings,
    private readonly deps: EventQueueDeps,
  ) {
    this.#backoff = new Backoff(settings.retry, deps.random);
    this.#writer = new StorageWriter(deps.storage, (error) =>
      deps.onError(new SwitchyardError('STORAGE', `event queue storage: ${String(error)}`, error)),
    );
    this.#loaded = this.#load();
  }

  /** Events dropped because the queue was full, since the queue was created. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Events not yet acknowledged (waiting or in flight). */
  get size(): number {
    return this.#pending.length + (this.#inflight?.entries.length ?? 0);
  }

  /** Resolves once the events stored by a previous run are back in the queue. */
  loaded(): Promise<void> {
    return this.#loaded;
  }

  /** Queues one event (it must carry its id); never throws. */
  push(event: TrackEvent): void {
    if (this.#closed) {
      this.deps.onError(new SwitchyardError('CLOSED', `event "${event.type}" tracked after close`));
      return;
    }
    if (this.size >= this.settings.maxQueueSize && !this.#dropOldest()) {
      this.#countDrop([event]);
      return;
    }
    this.#pending.push({ seq: this.#nextSeq++, event });
    this.#writer.append(event);
    this.#pump();
  }

  /** The events not yet acknowledged, oldest first: the batch in flight, then those waiting. */
  unsent(): TrackEvent[] {
    return this.#allEvents();
  }

  /**
   * Forgets waiting events that were delivered some other way (a page's unload beacon), in
   * queue and storage. Events of the batch in flight stay: that batch settles as usual, and the
   * server's dedup by event id absorbs the copy.
   */
  handOff(ids: readonly string[]): void {
    const gone = new Set(ids);
    const kept = this.#pending.filter((e) => !gone.has(e.event.id));
    if (kept.length === this.#pending.length) return;
    const removed = this.#pending.filter((e) => gone.has(e.event.id)).map((e) => e.event.id);
    this.#pending = kept;
    this.#writer.remove(removed);
    this.#wakeWaiters();
  }

  /**
   * Sends everything queued so far and resolves `true` once all of it is acknowledged (or
   * settled: rejected as invalid or dropped), or `false` after `timeoutMs` — the events are
   * then still queued, and persisted. Never rejects.
   */
  async flush(timeoutMs = this.settings.flushTimeoutMs): Promise<boolean> {
    await this.#loaded;
    const upTo = this.#nextSeq - 1;
    if (this.#settledUpTo(upTo)) return true;
    if (!this.deps.send) return false;
    return new Promise<boolean>((resolve) => {
      const waiter: FlushWaiter = {
        upTo,
        resolve,
        timer: this.deps.clock.setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
      if (this.#retryTimer !== undefined && !this.#retryIsServerMandated) {
        // Asked to deliver now: one attempt at once rather than after the backoff.
        this.deps.clock.clearTimeout(this.#retryTimer);
        this.#retryTimer = undefined;
        this.#sendInflight();
      }
      this.#pump();
    });
  }

  /**
   * Flushes (up to `timeoutMs`), then stops: timers are cleared, later events are refused, and
   * the storage holds exactly what was not acknowledged. Resolves like `flush`.
   */
  async close(timeoutMs = this.settings.flushTimeoutMs): Promise<boolean> {
    const done = await this.flush(timeoutMs);
    this.#closed = true;
    for (const timer of [this.#intervalTimer, this.#retryTimer]) {
      if (timer !== undefined) this.deps.clock.clearTimeout(timer);
    }
    this.#intervalTimer = this.#retryTimer = undefined;
    await this.#writer.idle();
    return done;
  }

  async #load(): Promise<void> {
    let stored: unknown[] = [];
    try {
      stored = await this.#writer.load();
    } catch (error) {
      this.deps.onError(
        new SwitchyardError('STORAGE', `could not load queued events: ${String(error)}`, error),
      );
    }
    const events: TrackEvent[] = [];
    for (const raw of stored) {
      const decoded = this.deps.decoder.event(raw);
      if (decoded.ok) events.push(decoded.value);
    }
    // Stored events are older than anything pushed meanwhile: they go first, with lower seqs.
    this.#pending = [
      ...events.map((event, i) => ({ seq: i - events.length, event })),
      ...this.#pending,
    ];
    // Unreadable entries would otherwise stay in storage for ever.
    if (events.length !== stored.length) this.#writer.replace(this.#allEvents());
    while (this.size > this.settings.maxQueueSize && this.#dropOldest());
    if (events.length > 0) this.#due = true;
    this.#isLoaded = true;
    this.#pump();
  }

  #pump(): void {
    if (this.#inflight || this.#retryTimer !== undefined || this.#closed || !this.#isLoaded) return;
    if (!this.deps.send) return;
    if (this.#pending.length === 0) {
      this.#due = false;
      return;
    }
    const batchSize = Math.max(1, Math.min(this.settings.batchSize, MAX_BATCH_EVENTS));
    if (this.#pending.length < batchSize && !this.#due && this.#waiters.length === 0) {
      this.#intervalTimer ??= this.deps.clock.setTimeout(() => {
        this.#intervalTimer = undefined;
        this.#due = true;
        this.#pump();
      }, this.settings.flushIntervalMs);
      return;
    }
    // The interval restarts after this batch settles for whatever is left.
    if (this.#intervalTimer !== undefined) this.deps.clock.clearTimeout(this.#intervalTimer);
    this.#intervalTimer = undefined;
    this.#inflight = { batchId: this.deps.newId(), entries: this.#pending.splice(0, batchSize) };
    this.#sendInflight();
  }

  #sendInflight(): void {
    const batch = this.#inflight;
    if (!batch || !this.deps.send) return;
    this.deps.send({ batchId: batch.batchId, events: batch.entries.map((e) => e.event) }).then(
      (response) => this.#onAcked(batch, response),
      (error: unknown) => this.#onFailed(batch, error),
    );
  }

  #onAcked(batch: Batch, response: EventsResponse): void {
    if (this.#inflight !== batch) return;
    const rejected = response.rejected ?? [];
    if (rejected.length > 0) {
      const events = rejected.map((r) => batch.entries[r.index]?.event);
      this.deps.onError(
        new SwitchyardError(
          'EVENTS_REJECTED',
          `the server rejected ${rejected.length} event(s) as invalid`,
          {
            batchId: batch.batchId,
            rejected,
            events,
          },
        ),
      );
    }
    this.#backoff.reset();
    this.#overflowReported = false;
    this.#finish(batch);
  }

  #onFailed(batch: Batch, error: unknown): void {
    if (this.#inflight !== batch) return;
    const failure =
      error instanceof DeliveryError ? error : new DeliveryError('retry', String(error));
    if (failure.failure === 'too-large' && batch.entries.length > 1) {
      // Halve it: the first half goes now under a new id, the rest waits at the front.
      const half = Math.ceil(batch.entries.length / 2);
      this.#pending.unshift(...batch.entries.slice(half));
      this.#due = true;
      this.#inflight = { batchId: this.deps.newId(), entries: batch.entries.slice(0, half) };
      this.#sendInflight();
      return;
    }
    if (failure.failure !== 'retry') {
      const events = batch.entries.map((e) => e.event);
      this.deps.onError(
        new SwitchyardError(
          'EVENTS_REJECTED',
          `a batch of ${events.length} event(s) was refused: ${failure.message}`,
          {
            batchId: batch.batchId,
            events,
          },
        ),
      );
      this.#finish(batch);
      return;
    }
    if (this.#closed) return;
    const delay = failure.retryAfterMs ?? this.#backoff.next();
    this.#retryIsServerMandated = failure.retryAfterMs !== undefined;
    this.#retryTimer = this.deps.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#sendInflight();
    }, delay);
  }

  /** The batch is settled: forget it everywhere, wake flushes, send on. */
  #finish(batch: Batch): void {
    this.#inflight = undefined;
    this.#writer.remove(batch.entries.map((e) => e.event.id));
    this.#wakeWaiters();
    this.#pump();
  }

  #dropOldest(): boolean {
    const oldest = this.#pending.shift();
    if (!oldest) return false;
    this.#writer.remove([oldest.event.id]);
    this.#countDrop([oldest.event]);
    this.#wakeWaiters();
    return true;
  }

  #countDrop(events: readonly TrackEvent[]): void {
    this.#dropped += events.length;
    if (!this.#overflowReported) {
      this.#overflowReported = true;
      this.deps.onError(
        new SwitchyardError(
          'QUEUE_OVERFLOW',
          `the event queue is full (${this.settings.maxQueueSize}); dropping the oldest`,
          {
            dropped: this.#dropped,
          },
        ),
      );
    }
  }

  #settledUpTo(upTo: number): boolean {
    const oldest = this.#inflight?.entries[0]?.seq ?? this.#pending[0]?.seq;
    return oldest === undefined || oldest > upTo;
  }

  #wakeWaiters(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!this.#settledUpTo(w.upTo)) return true;
      this.deps.clock.clearTimeout(w.timer);
      w.resolve(true);
      return false;
    });
  }

  #allEvents(): TrackEvent[] {
    return [...(this.#inflight?.entries ?? []), ...this.#pending].map((e) => e.event);
  }
}
