import {
  assignExperiment,
  DEFAULT_UNIT,
  evaluateFlag,
  EXPOSURE_EVENT,
  ExposureDeduper,
  FLAG_EXPOSURE_EVENT,
  unitOf,
  uuidv7,
} from '@switchyard/core';
import type { EvaluationContext, ExperimentAssignment, JsonValue, Widen } from '@switchyard/core';
import type { ConfigSnapshot, TrackEvent } from '@switchyard/core/schema';
import { withDependents } from '../config/changed-keys';
import { ConfigStore } from '../config/config-store';
import type { ConfigChangeEvent } from '../config/config-store';
import { bindFlags } from '../evaluation/bound-flags';
import type { BoundFlags } from '../evaluation/bound-flags';
import { notReady } from '../evaluation/flag-details';
import type { FlagDetails } from '../evaluation/flag-details';
import type { FlagReads } from '../evaluation/flag-reads';
import { eventSender } from '../events/event-sender';
import { eventQueue } from '../events/event-queue';
import type { EventQueue } from '../events/event-queue';
import { MemoryEventQueueStorage } from '../platform/event-queue-storage';
import { endpointsFor } from '../protocol/endpoints';
import type { Endpoints } from '../protocol/endpoints';
import { syncClient } from '../sync/sync-client';
import type { SyncClient } from '../sync/sync-client';
import type { ClientOptions, Platform } from './client-options';
import { emitter } from './emitter';
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
 * kept current by a `SyncClient`, with exposures and tracked events delivered by an event
 * queue. It starts at construction: bootstrap first, then the cached config, then the server.
 *
 * Every read evaluates the current snapshot with core's `evaluateFlag` / `assignExperiment` and
 * never throws. A read that places the unit in a running experiment logs an `$exposure`, and a
 * read served a variant by a flag that rolls out to part of its units (a rule with
 * 0 < rollout < 100) logs a `$flag_exposure`, each once per unit and variant (a bounded LRU);
 * `allFlags` logs none: it serves bootstrapping, not display. With sticky assignments, reads see
 * the variants units kept, and each placement is kept. Misuse (a bad `url`, no `key` while
 * online) throws here.
 */
export class SwitchyardClient implements FlagReads {
  /** The current config and its change feed. */
  readonly config = new ConfigStore();
  /** The connection, for features that talk over it (remote hooks). Undefined when offline. */
  readonly sync: SyncClient | undefined;
  /** Where this client talks to. Undefined when offline. */
  readonly endpoints: Endpoints | undefined;
  readonly #options: ClientOptions;
  readonly #platform: Platform;
  readonly #queue: EventQueue;
  readonly #events = emitter<ClientEvents>();
  readonly #deduper: ExposureDeduper | undefined;
  readonly #ready: Promise<void>;
  #readyOutcome!: [resolve: () => void, reject: (error: SwitchyardError) => void];
  #cacheWrite: Promise<void> = Promise.resolve();
  #closing: Promise<boolean> | undefined;

  constructor(options: ClientOptions, platform: Platform) {
    this.#options = options;
    this.#platform = platform;
    const { url, key, offline, exposures = true, stickyAssignments: sticky } = options;
    if (!offline && (url === undefined || key === undefined)) {
      throw new TypeError('switchyard: `url` and `key` are required unless `offline` is set');
    }
    const endpoints = (this.endpoints = offline ? undefined : endpointsFor(url!));
    this.#ready = new Promise((...outcome) => (this.#readyOutcome = outcome));
    this.#ready.catch(() => {});
    this.#deduper =
      exposures === false
        ? undefined
        : new ExposureDeduper(exposures === true ? undefined : exposures.dedupCapacity);
    if (sticky) {
      sticky.onError = (error) => this.#report('STORAGE', `sticky assignments: ${error}`, error);
    }
    const sync = (this.sync =
      endpoints &&
      syncClient(options, platform, this.config, (error) => {
        if (this.sync?.stopped) this.#readyOutcome[1](error);
        this.#emitError(error);
      }));
    this.#queue = eventQueue(options.events ?? {}, {
      ...platform,
      storage: platform.eventStorage ?? new MemoryEventQueueStorage(),
      send: sync && eventSender(sync, endpoints!, options, platform),
      newId: () => this.#newId(),
      onError: (error) => this.#emitError(error),
    });
    this.config.subscribe((event) => this.#onChange(event));
    if (options.bootstrap !== undefined) {
      const decoded = platform.decoder.snapshot(options.bootstrap);
      if (decoded.ok) this.config.replace(decoded.value, 'bootstrap');
      else this.#report('BAD_MESSAGE', `bootstrap: ${decoded.error}`);
    }
    void this.#start();
  }

  /** True once a config is in (from bootstrap, cache or server). */
  get isReady(): boolean {
    return !!this.config.snapshot;
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
   * before any config arrived, or `CLOSED`. Reads work either way: they serve defaults until then.
   */
  ready({ timeoutMs }: { timeoutMs?: number } = {}): Promise<void> {
    const { clock } = this.#platform;
    return timeoutMs === undefined
      ? this.#ready
      : new Promise((resolve, reject) => {
          const timer = clock.setTimeout(
            () => reject(new SwitchyardError('TIMEOUT', `no config within ${timeoutMs} ms`)),
            timeoutMs,
          );
          this.#ready.then(resolve, reject).finally(() => clock.clearTimeout(timer));
        });
  }

  /** Calls `listener` on each event of `type`; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(
    type: K,
    listener: (event: ClientEvents[K]) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  isOn(key: string, context: EvaluationContext): boolean {
    return this.getDetails(key, context, false).value === true;
  }

  getFlag<T extends JsonValue>(key: string, context: EvaluationContext, defaultValue: T): Widen<T> {
    return this.getDetails(key, context, defaultValue).value;
  }

  getDetails<T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ): FlagDetails<Widen<T>> {
    const snapshot = this.#view(context);
    if (!snapshot) return notReady(defaultValue as Widen<T>);
    const result = evaluateFlag(snapshot, key, context, defaultValue);
    const { experiment, variant } = result;
    const deduper = this.#deduper;
    try {
      if (result.inExperiment && experiment !== undefined && variant !== undefined) {
        const unit = unitOf(context, snapshot.experiments[experiment]?.unit ?? DEFAULT_UNIT);
        if (unit !== undefined) this.#placed(unit, experiment, variant, key);
      } else if (
        deduper &&
        variant !== undefined &&
        !result.errorCode &&
        result.reason !== 'DISABLED'
      ) {
        const config = snapshot.flags[key];
        const unit = config && unitOf(context, config.unit ?? DEFAULT_UNIT);
        if (
          unit !== undefined &&
          config!.rules?.some((r) => r.rollout! > 0 && r.rollout! < 100) &&
          !deduper.seen(unit, `$flag:${key}`, variant)
        ) {
          this.#push(FLAG_EXPOSURE_EVENT, unit, { flag: key, variant });
        }
      }
    } catch {
      // Keeping or logging a placement must never break a read.
    }
    return result;
  }

  getVariant(experimentId: string, context: EvaluationContext): string | null {
    return this.getAssignment(experimentId, context).variant;
  }

  getAssignment(experimentId: string, context: EvaluationContext): ExperimentAssignment {
    const snapshot = this.#view(context);
    if (!snapshot) return { variant: null, reason: 'NOT_FOUND', inExperiment: false };
    const assignment = assignExperiment(snapshot, experimentId, context);
    const { variant, unit } = assignment;
    if (assignment.inExperiment && variant !== null && unit !== undefined) {
      try {
        this.#placed(unit, experimentId, variant);
      } catch {
        // As in getDetails.
      }
    }
    return assignment;
  }

  allFlags(context: EvaluationContext): Record<string, JsonValue> {
    const snapshot = this.#view(context);
    const values: Record<string, JsonValue> = {};
    for (const key of Object.keys(snapshot?.flags ?? {})) {
      const { value } = evaluateFlag(snapshot!, key, context);
      if (value !== undefined) values[key] = value;
    }
    return values;
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
    this.#push(type, unitOf(context, this.#options.unitAttribute ?? DEFAULT_UNIT), properties);
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
    return (this.#closing ??= this.#queue.close(options.timeoutMs).then(async (delivered) => {
      this.sync?.close();
      this.#readyOutcome[1](new SwitchyardError('CLOSED', 'the client was closed'));
      await this.#cacheWrite;
      return delivered;
    }));
  }

  /** Kept variants, then the cached config, then the server. */
  async #start(): Promise<void> {
    const { configCache: cache, decoder } = this.#platform;
    const kept = this.#options.stickyAssignments?.load(this.#options.key ?? '');
    // Read in parallel with the kept variants; a failure is reported below.
    const cached = cache && Promise.resolve().then(() => cache.get());
    cached?.catch(() => {});
    const experiments = kept && (await kept);
    const snapshot = this.config.snapshot;
    if (experiments?.length && snapshot) {
      // Kept variants come in before any cached or server config, so only a bootstrap config
      // can have been read without them: say which of its keys may now read differently.
      const { version } = snapshot;
      this.#events.emit('change', {
        ...withDependents(snapshot, new Set(), new Set(experiments), new Set()),
        version,
        source: 'cache',
        previousVersion: version,
      });
    }
    if (cached) {
      try {
        const raw = await cached;
        if (raw != null) {
          const decoded = decoder.snapshot(raw);
          if (!decoded.ok) this.#report('BAD_MESSAGE', `cached config: ${decoded.error}`);
          else if (!(decoded.value.version <= this.config.version!))
            this.config.replace(decoded.value, 'cache');
        }
      } catch (error) {
        this.#report('STORAGE', `config cache: ${error}`, error);
      }
    }
    if (!this.#closing) this.sync?.start();
  }

  #onChange(event: ConfigChangeEvent): void {
    const snapshot = this.config.snapshot!;
    const cache = this.#platform.configCache;
    if (event.previousVersion === undefined) {
      this.#readyOutcome[0]();
      this.#events.emit('ready', undefined);
    }
    if (event.source === 'server') {
      this.#options.stickyAssignments?.prune(snapshot);
      // Writes run one at a time; a write that finds a newer config pending skips itself.
      if (cache)
        this.#cacheWrite = this.#cacheWrite
          .then(() => (this.config.snapshot === snapshot ? cache.set(snapshot) : undefined))
          .catch((error: unknown) => this.#report('STORAGE', `config cache: ${error}`, error));
    }
    this.#events.emit('change', event);
  }

  /** The snapshot to evaluate `context` against: with sticky assignments, its kept variants pinned. */
  #view(context: EvaluationContext): ConfigSnapshot | undefined {
    const snapshot = this.config.snapshot;
    try {
      return (snapshot && this.#options.stickyAssignments?.view(snapshot, context)) || snapshot;
    } catch {
      return snapshot;
    }
  }

  /** The unit was placed in a running experiment: keep the variant (sticky), log the exposure. */
  #placed(unit: string, experiment: string, variant: string, flag?: string): void {
    this.#options.stickyAssignments?.record(unit, experiment, variant);
    if (this.#deduper && !this.#deduper.seen(unit, experiment, variant)) {
      this.#push(
        EXPOSURE_EVENT,
        unit,
        flag === undefined ? { experiment, variant } : { experiment, variant, flag },
      );
    }
  }

  #push(
    type: string,
    unit: string | undefined,
    properties: Record<string, JsonValue> | undefined,
  ): void {
    try {
      const event: TrackEvent = { id: this.#newId(), type, timestamp: this.#platform.clock.now() };
      if (unit !== undefined) event.unit = unit;
      if (properties !== undefined) event.properties = properties;
      this.#queue.push(event);
    } catch (error) {
      this.#report('BAD_MESSAGE', `could not queue "${type}": ${error}`, error);
    }
  }

  #newId(): string {
    const { clock, random } = this.#platform;
    return uuidv7(Math.floor(clock.now()), random(16));
  }

  #report(code: SwitchyardError['code'], message: string, details?: unknown): void {
    this.#emitError(new SwitchyardError(code, message, details));
  }

  #emitError(error: SwitchyardError): void {
    this.#options.onError?.(error);
    this.#events.emit('error', error);
  }
}
