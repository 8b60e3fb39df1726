import {
  DEFAULT_DEDUPER_CAPACITY,
  EXPOSURE_EVENT,
  FLAG_EXPOSURE_EVENT,
  unitOf,
  uuidv7,
  DEFAULT_UNIT,
} from '@switchyard/core';
import type { EvaluationContext, ExperimentAssignment, JsonValue, Widen } from '@switchyard/core';
import type { ConfigSnapshot, TrackEvent } from '@switchyard/core/schema';
import { ConfigStore } from '../config/config-store';
import type { ConfigChangeEvent } from '../config/config-store';
import { withDependents } from '../config/dependents';
import { bindFlags } from '../evaluation/bound-flags';
import type { BoundFlags } from '../evaluation/bound-flags';
import { ExposureLogger } from '../evaluation/exposure-logger';
import type { Exposure } from '../evaluation/exposure-logger';
import type { FlagDetails } from '../evaluation/flag-details';
import { FlagEvaluator } from '../evaluation/flag-evaluator';
import type { FlagReads } from '../evaluation/flag-evaluator';
import { StickyAssignments } from '../evaluation/sticky-assignments';
import { EventQueue } from '../events/event-queue';
import { MemoryConfigCache } from '../platform/config-cache';
import { MemoryEventQueueStorage } from '../platform/event-queue-storage';
import { MemoryStickyAssignmentStorage } from '../platform/sticky-assignment-storage';
import { endpointsFor } from '../protocol/endpoints';
import type { Endpoints } from '../protocol/endpoints';
import { SyncClient } from '../sync/sync-client';
import type { ClientOptions, Platform } from './client-options';
import { eventSender } from './event-sender';
import { Listeners } from './listeners';
import { ReadySignal } from './ready-signal';
import { SwitchyardError } from './switchyard-error';

/** Events a client emits; see `SwitchyardClient.on`. */
export interface ClientEvents {
  /**
   * A config took effect (bootstrap, cache or server), or stored sticky assignments were loaded
   * over the bootstrap config, with the keys that may read differently.
   */
  change: ConfigChangeEvent;
  /** A problem that failed no call. */
  error: SwitchyardError;
  /** The first config is in. */
  ready: void;
}

/** The reads of a client bound to one context, plus `track` for that context. */
export interface ContextClient extends BoundFlags {
  track(type: string, properties?: Record<string, JsonValue>): void;
}

/**
 * A Switchyard client on any platform: local, synchronous evaluation over the latest config,
 * kept current by a `SyncClient`, with exposures and tracked events delivered by an
 * `EventQueue`. It starts at construction: bootstrap first, then the cached config, then the
 * server. Reads never throw; misuse (a bad `url`, no `key` while online) throws here.
 */
export class SwitchyardClient implements FlagReads {
  /** The current config and its change feed. */
  readonly config = new ConfigStore();
  /** The connection, for features that talk over it (remote hooks). Undefined when offline. */
  readonly sync: SyncClient | undefined;
  /** Where this client talks to. Undefined when offline. */
  readonly endpoints: Endpoints | undefined;
  readonly #evaluator: FlagEvaluator;
  readonly #sticky: StickyAssignments | undefined;
  readonly #queue: EventQueue;
  readonly #ready: ReadySignal;
  readonly #unitAttribute: string;
  readonly #listeners: { [K in keyof ClientEvents]: Listeners<ClientEvents[K]> } = {
    change: new Listeners<ConfigChangeEvent>(),
    error: new Listeners<SwitchyardError>(),
    ready: new Listeners<void>(),
  };
  readonly #report: (error: SwitchyardError) => void;
  #cacheWrite: Promise<void> = Promise.resolve();
  #closing: Promise<boolean> | undefined;

  constructor(
    options: ClientOptions,
    private readonly platform: Platform,
  ) {
    const offline = options.offline === true;
    if (!offline && (options.url === undefined || options.key === undefined)) {
      throw new TypeError('switchyard: `url` and `key` are required unless `offline` is set');
    }
    this.endpoints = offline ? undefined : endpointsFor(options.url!);
    this.#unitAttribute = options.unitAttribute ?? DEFAULT_UNIT;
    const reportError = (this.#report = (error: SwitchyardError): void => {
      options.onError?.(error);
      this.#listeners.error.emit(error);
    });
    this.#ready = new ReadySignal(platform.clock);
    const exposureSettings = options.exposures ?? true;
    const exposures =
      exposureSettings === false
        ? undefined
        : new ExposureLogger(
            (exposureSettings === true ? undefined : exposureSettings.dedupCapacity) ??
              DEFAULT_DEDUPER_CAPACITY,
            (exposure) => this.#logExposure(exposure),
            (exposure) =>
              this.#push(FLAG_EXPOSURE_EVENT, exposure.unit, {
                flag: exposure.flag,
                variant: exposure.variant,
              }),
          );
    this.#sticky = options.stickyAssignments
      ? new StickyAssignments(
          platform.stickyStorage ?? new MemoryStickyAssignmentStorage(),
          (error) =>
            reportError(
              new SwitchyardError('STORAGE', `sticky assignments: ${String(error)}`, error),
            ),
        )
      : undefined;
    this.#evaluator = new FlagEvaluator(this.config, exposures, this.#sticky);

    if (!offline) {
      this.sync = new SyncClient({
        endpoints: this.endpoints!,
        key: options.key!,
        ...(options.sdk !== undefined ? { sdk: options.sdk } : {}),
        transport: options.transport ?? 'auto',
        reconnect: { baseMs: 500, maxMs: 30_000, ...options.reconnect },
        pollIntervalMs: options.pollIntervalMs ?? 30_000,
        pollAfterFailures: options.pollAfterFailures ?? 2,
        requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
        store: this.config,
        clock: platform.clock,
        random: platform.random,
        decoder: platform.decoder,
        ...(platform.socket ? { socket: platform.socket } : {}),
        ...(platform.fetch ? { fetch: platform.fetch } : {}),
        onError: (error) => {
          if (this.sync?.stopped) this.#ready.fail(error);
          reportError(error);
        },
      });
    }

    const ev = options.events ?? {};
    const send = this.sync
      ? eventSender({
          sync: this.sync,
          endpoints: this.endpoints!,
          key: options.key!,
          platform,
          ackTimeoutMs: ev.ackTimeoutMs ?? 10_000,
          requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
        })
      : undefined;
    this.#queue = new EventQueue(
      {
        batchSize: ev.batchSize ?? 100,
        flushIntervalMs: ev.flushIntervalMs ?? 2000,
        maxQueueSize: ev.maxQueueSize ?? 10_000,
        retry: { baseMs: 1000, maxMs: 60_000, ...ev.retry },
        flushTimeoutMs: ev.flushTimeoutMs ?? 10_000,
      },
      {
        clock: platform.clock,
        random: platform.random,
        decoder: platform.decoder,
        storage: platform.eventStorage ?? new MemoryEventQueueStorage(),
        ...(send ? { send } : {}),
        newId: () => this.#newId(),
        onError: reportError,
      },
    );

    this.config.subscribe((event) => this.#onChange(event));
    if (options.bootstrap !== undefined) {
      const decoded = platform.decoder.snapshot(options.bootstrap);
      if (decoded.ok) this.config.replace(decoded.value, 'bootstrap');
      else reportError(new SwitchyardError('BAD_MESSAGE', `bootstrap: ${decoded.error}`));
    }
    void this.#loadCacheThenSync();
  }

  /** True once a config is in (from bootstrap, cache or server). */
  get isReady(): boolean {
    return this.config.snapshot !== undefined;
  }

  /** The current config, or undefined before the first one. */
  get snapshot(): ConfigSnapshot | undefined {
    return this.config.snapshot;
  }

  /** Events dropped because the queue was full. */
  get dropped(): number {
    return this.#queue.dropped;
  }

  /** Events waiting for the server's ack. */
  get pendingEvents(): number {
    return this.#queue.size;
  }

  /** The events not yet acknowledged, oldest first (e.g. for a page's unload beacon). */
  unsentEvents(): TrackEvent[] {
    return this.#queue.unsent();
  }

  /**
   * Forgets queued events that were delivered some other way (an unload beacon); events of the
   * batch in flight stay until it settles, and the server's dedup by event id absorbs the copy.
   */
  handOffEvents(ids: readonly string[]): void {
    this.#queue.handOff(ids);
  }

  /**
   * Resolves once the first config is in. Rejects with a `TIMEOUT` SwitchyardError after
   * `timeoutMs` (if given), or with `UNAUTHORIZED`/`FORBIDDEN` when the server refuses the key
   * before any config arrived. Reads work either way: they serve defaults until then.
   */
  ready(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.#ready.wait(options.timeoutMs);
  }

  /** Calls `listener` on each event of `type`; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(
    type: K,
    listener: (event: ClientEvents[K]) => void,
  ): () => void {
    return this.#listeners[type].add(listener);
  }

  isOn(key: string, context: EvaluationContext): boolean {
    return this.#evaluator.isOn(key, context);
  }

  getFlag<T extends JsonValue>(key: string, context: EvaluationContext, defaultValue: T): Widen<T> {
    return this.#evaluator.getFlag(key, context, defaultValue);
  }

  getDetails<T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ): FlagDetails<Widen<T>> {
    return this.#evaluator.getDetails(key, context, defaultValue);
  }

  getVariant(experimentId: string, context: EvaluationContext): string | null {
    return this.#evaluator.getVariant(experimentId, context);
  }

  getAssignment(experimentId: string, context: EvaluationContext): ExperimentAssignment {
    return this.#evaluator.getAssignment(experimentId, context);
  }

  allFlags(context: EvaluationContext): Record<string, JsonValue> {
    return this.#evaluator.allFlags(context);
  }

  /** The reads (and `track`) bound to `context`. */
  forContext(context: EvaluationContext): ContextClient {
    return {
      ...bindFlags(this, context),
      track: (type, properties) => this.track(type, context, properties),
    };
  }

  /**
   * Queues an event of `type` for the unit of `context` (its `unitAttribute`, default
   * `userId`), with a UUID v7 id and the current time. Never throws.
   */
  track(type: string, context: EvaluationContext, properties?: Record<string, JsonValue>): void {
    const unit = unitOf(context, this.#unitAttribute);
    this.#push(type, unit, properties);
  }

  /**
   * Sends everything queued so far; resolves `true` once the server acknowledged all of it,
   * `false` after `timeoutMs` (default `events.flushTimeoutMs`) with the rest still queued.
   */
  flush(options: { timeoutMs?: number } = {}): Promise<boolean> {
    return this.#queue.flush(options.timeoutMs);
  }

  /**
   * Flushes (like `flush`), then stops syncing and timers. Resolves like `flush`; unsent events
   * stay in the event storage for the next start.
   */
  close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    this.#closing ??= this.#close(options.timeoutMs);
    return this.#closing;
  }

  async #close(timeoutMs: number | undefined): Promise<boolean> {
    const delivered = await this.#queue.close(timeoutMs);
    this.sync?.close();
    this.#ready.fail(new SwitchyardError('CLOSED', 'the client was closed'));
    await this.#cacheWrite;
    return delivered;
  }

  async #loadCacheThenSync(): Promise<void> {
    const reportError = this.#report;
    const cache = this.platform.configCache;
    const kept = this.#sticky?.load();
    // Read in parallel with the kept variants; a failure is reported below.
    const cached = cache ? Promise.resolve().then(() => cache.get()) : undefined;
    cached?.catch(() => {});
    if (kept) {
      // Kept variants come in before any cached or server config, so only a bootstrap config
      // can have been read without them: say which of its keys may now read differently.
      const experiments = await kept;
      const snapshot = this.config.snapshot;
      if (experiments.length > 0 && snapshot !== undefined) {
        const keys = withDependents(snapshot, { flags: [], experiments, segments: [] });
        const { version } = snapshot;
        this.#listeners.change.emit({
          ...keys,
          version,
          source: 'cache',
          previousVersion: version,
        });
      }
    }
    if (cache) {
      try {
        const raw = await cached;
        if (raw !== undefined && raw !== null) {
          const decoded = this.platform.decoder.snapshot(raw);
          const current = this.config.version;
          if (!decoded.ok)
            reportError(new SwitchyardError('BAD_MESSAGE', `cached config: ${decoded.error}`));
          else if (current === undefined || decoded.value.version > current)
            this.config.replace(decoded.value, 'cache');
        }
      } catch (error) {
        reportError(
          new SwitchyardError(
            'STORAGE',
            `could not read the config cache: ${String(error)}`,
            error,
          ),
        );
      }
    }
    if (this.#closing === undefined) this.sync?.start();
  }

  #onChange(event: ConfigChangeEvent): void {
    if (event.previousVersion === undefined) {
      this.#ready.resolve();
      this.#listeners.ready.emit();
    }
    if (event.source === 'server') this.#sticky?.prune(this.config.snapshot!);
    const cache = this.platform.configCache;
    if (event.source === 'server' && cache) {
      const snapshot = this.config.snapshot!;
      // Writes run one at a time; a write that finds a newer config pending skips itself.
      this.#cacheWrite = this.#cacheWrite
        .then(() => (this.config.snapshot === snapshot ? cache.set(snapshot) : undefined))
        .catch((error: unknown) =>
          this.#report(
            new SwitchyardError(
              'STORAGE',
              `could not write the config cache: ${String(error)}`,
              error,
            ),
          ),
        );
    }
    this.#listeners.change.emit(event);
  }

  #logExposure(exposure: Exposure): void {
    const properties: Record<string, JsonValue> = {
      experiment: exposure.experiment,
      variant: exposure.variant,
    };
    if (exposure.flag !== undefined) properties.flag = exposure.flag;
    this.#push(EXPOSURE_EVENT, exposure.unit, properties);
  }

  #push(
    type: string,
    unit: string | undefined,
    properties: Record<string, JsonValue> | undefined,
  ): void {
    try {
      const event: TrackEvent = { id: this.#newId(), type, timestamp: this.platform.clock.now() };
      if (unit !== undefined) event.unit = unit;
      if (properties !== undefined) event.properties = properties;
      this.#queue.push(event);
    } catch (error) {
      this.#report(
        new SwitchyardError('BAD_MESSAGE', `could not queue "${type}": ${String(error)}`, error),
      );
    }
  }

  #newId(): string {
    return uuidv7(Math.floor(this.platform.clock.now()), this.platform.random(16));
  }
}
