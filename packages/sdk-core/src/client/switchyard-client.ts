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

type Options = { timeoutMs?: number };

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
  readonly #queue: EventQueue;

  /** True when flag `key` serves `true`; false otherwise (missing, not boolean, no config). */
  declare readonly isOn: (key: string, context: EvaluationContext) => boolean;
  /** The flag's value, or `defaultValue` when it cannot serve one of the same type. */
  declare readonly getFlag: <T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ) => Widen<T>;
  /** The flag's value with the reason, variant, rule and error code. */
  declare readonly getDetails: <T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ) => FlagDetails<Widen<T>>;
  /** The variant the unit is assigned in experiment `experimentId`, or null. */
  declare readonly getVariant: (experimentId: string, context: EvaluationContext) => string | null;
  /** The whole assignment: variant, value and reason. */
  declare readonly getAssignment: (
    experimentId: string,
    context: EvaluationContext,
  ) => ExperimentAssignment;
  /** The value of every flag that serves one (defaults of the caller are not known here). */
  declare readonly allFlags: (context: EvaluationContext) => Record<string, JsonValue>;
  /**
   * Queues an event of `type` for the unit of `context` (its `unitAttribute`, default
   * `userId`), with a UUID v7 id and the current time. Never throws.
   */
  declare readonly track: (
    type: string,
    context: EvaluationContext,
    properties?: Record<string, JsonValue>,
  ) => void;
  /** The events not yet acknowledged, oldest first (e.g. for a page's unload beacon). */
  declare readonly unsentEvents: () => TrackEvent[];
  /**
   * Forgets queued events that were delivered some other way (an unload beacon); events of the
   * batch in flight stay until it settles, and the server's dedup by event id absorbs the copy.
   */
  declare readonly handOffEvents: (ids: readonly string[]) => void;
  /**
   * Resolves once the first config is in. Rejects with a `TIMEOUT` SwitchyardError after
   * `timeoutMs` (if given), with `UNAUTHORIZED`/`FORBIDDEN` when the server refuses the key
   * before any config arrived, or with `CLOSED`. Reads work either way: they serve defaults.
   */
  declare readonly ready: (options?: Options) => Promise<void>;
  /** Calls `listener` on each event of `type`; returns the unsubscribe function. */
  declare readonly on: <K extends keyof ClientEvents>(
    type: K,
    listener: (event: ClientEvents[K]) => void,
  ) => () => void;
  /**
   * Sends everything queued so far; resolves `true` once the server acknowledged all of it,
   * `false` after `timeoutMs` (default `events.flushTimeoutMs`) with the rest still queued.
   */
  declare readonly flush: (options?: Options) => Promise<boolean>;
  /**
   * Flushes (like `flush`), then stops syncing and timers. Resolves like `flush`; unsent events
   * stay in the event storage for the next start. An adapter may wrap it (to untie a page).
   */
  declare close: (options?: Options) => Promise<boolean>;

  constructor(options: ClientOptions, platform: Platform) {
    const { config } = this;
    const { url, key, offline, exposures = true, stickyAssignments: sticky } = options;
    const { clock, decoder, configCache: cache } = platform;
    if (!offline && (url === undefined || key === undefined)) {
      throw new TypeError('switchyard: url and key required (or offline)');
    }
    const events = emitter<ClientEvents>();
    const deduper =
      exposures && new ExposureDeduper((exposures as { dedupCapacity?: number }).dedupCapacity);
    let settleReady!: [resolve: () => void, reject: (error: SwitchyardError) => void];
    const ready = new Promise<void>((...outcome) => (settleReady = outcome));
    ready.catch(() => {});
    let cacheWrite: Promise<unknown> = Promise.resolve();
    let closing: Promise<boolean> | undefined;

    const emitError = (error: SwitchyardError): void => {
      options.onError?.(error);
      events.emit('error', error);
    };
    const report = (code: SwitchyardError['code'], message: string, details?: unknown) =>
      emitError(new SwitchyardError(code, message, details));
    const newId = () => uuidv7(Math.floor(clock.now()), platform.random(16));
    const push = (type: string, unit?: string, properties?: Record<string, JsonValue>): void => {
      try {
        queue.push({ id: newId(), type, timestamp: clock.now(), unit, properties });
      } catch (error) {
        report('BAD_MESSAGE', `${type}: ${error}`, error);
      }
    };
    /** The snapshot to evaluate `context` against: with sticky assignments, its kept variants pinned. */
    const view = (context: EvaluationContext): ConfigSnapshot | undefined => {
      const snapshot = config.snapshot;
      try {
        return (snapshot && sticky?.view(snapshot, context)) || snapshot;
      } catch {
        return snapshot;
      }
    };
    /**
     * The unit was served `variant` for `experiment` (`$flag:<key>` for a partly rolled-out
     * flag): keep it (sticky, experiments only) and log the exposure once.
     */
    const exposed = (
      unit: string | undefined,
      experiment: string,
      variant: string,
      flag?: string,
    ) => {
      try {
        const rollout = experiment[0] === '$';
        if (unit === undefined) return;
        if (!rollout) sticky?.record(unit, experiment, variant);
        if (deduper && !deduper.seen(unit, experiment, variant)) {
          push(
            rollout ? FLAG_EXPOSURE_EVENT : EXPOSURE_EVENT,
            unit,
            rollout
              ? { flag: flag!, variant }
              : flag === undefined
                ? { experiment, variant }
                : { experiment, variant, flag },
          );
        }
      } catch {
        // Keeping or logging a placement must never break a read.
      }
    };
    const getDetails = <T extends JsonValue>(
      key: string,
      context: EvaluationContext,
      defaultValue: T,
    ): FlagDetails<Widen<T>> => {
      const snapshot = view(context);
      if (!snapshot) return notReady(defaultValue as Widen<T>);
      const result = evaluateFlag(snapshot, key, context, defaultValue);
      const { experiment, variant } = result;
      const flag = snapshot.flags[key];
      if (variant === undefined) return result;
      try {
        if (result.inExperiment && experiment !== undefined) {
          const unit = unitOf(context, snapshot.experiments[experiment]?.unit ?? DEFAULT_UNIT);
          exposed(unit, experiment, variant, key);
        } else if (
          !result.errorCode &&
          result.reason !== 'DISABLED' &&
          flag?.rules?.some((r) => r.rollout! > 0 && r.rollout! < 100)
        ) {
          exposed(unitOf(context, flag.unit ?? DEFAULT_UNIT), `$flag:${key}`, variant, key);
        }
      } catch {
        // As in `exposed`.
      }
      return result;
    };
    const getAssignment = (experimentId: string, context: EvaluationContext) => {
      const snapshot = view(context);
      if (!snapshot) return { variant: null, reason: 'NOT_FOUND', inExperiment: false } as const;
      const assignment = assignExperiment(snapshot, experimentId, context);
      const { variant, unit } = assignment;
      if (assignment.inExperiment && variant !== null) exposed(unit, experimentId, variant);
      return assignment;
    };

    const endpoints = (this.endpoints = offline ? undefined : endpointsFor(url!));
    const sync = (this.sync =
      endpoints &&
      syncClient(options, platform, config, (error) => {
        if (sync?.stopped) settleReady[1](error);
        emitError(error);
      }));
    const queue = (this.#queue = eventQueue(options.events ?? {}, {
      ...platform,
      storage: platform.eventStorage,
      send: sync && eventSender(sync, endpoints!, options, platform),
      newId,
      onError: emitError,
    }));
    // Without an HTTP poster, a batch that failed while the socket was down waits for it.
    sync?.onLive(queue.retryNow);
    const kept = sticky?.start(key ?? '', config, (error) =>
      report('STORAGE', `sticky: ${error}`, error),
    );

    Object.assign(this, {
      isOn: (key: string, context: EvaluationContext) =>
        getDetails(key, context, false).value === true,
      getFlag: <T extends JsonValue>(key: string, context: EvaluationContext, defaultValue: T) =>
        getDetails(key, context, defaultValue).value,
      getDetails,
      getVariant: (experimentId: string, context: EvaluationContext) =>
        getAssignment(experimentId, context).variant,
      getAssignment,
      allFlags: (context: EvaluationContext) => {
        const snapshot = view(context);
        const values: Record<string, JsonValue> = {};
        for (const key in snapshot?.flags) {
          const { value } = evaluateFlag(snapshot, key, context);
          if (value !== undefined) values[key] = value;
        }
        return values;
      },
      track: (type: string, context: EvaluationContext, properties?: Record<string, JsonValue>) =>
        push(type, unitOf(context, options.unitAttribute ?? DEFAULT_UNIT), properties),
      unsentEvents: queue.unsent,
      handOffEvents: queue.handOff,
      ready: ({ timeoutMs }: Options = {}) =>
        timeoutMs === undefined
          ? ready
          : new Promise<void>((resolve, reject) => {
              const timer = clock.setTimeout(
                () => reject(new SwitchyardError('TIMEOUT', `no config in ${timeoutMs} ms`)),
                timeoutMs,
              );
              ready.then(resolve, reject).finally(() => clock.clearTimeout(timer));
            }),
      on: events.on,
      flush: (o: Options = {}) => queue.flush(o.timeoutMs),
      close: (o: Options = {}) =>
        (closing ??= queue.close(o.timeoutMs).then(async (delivered) => {
          sync?.close();
          settleReady[1](new SwitchyardError('CLOSED', 'closed'));
          await cacheWrite;
          return delivered;
        })),
    });

    config.subscribe((event) => {
      const snapshot = config.snapshot!;
      if (event.previousVersion === undefined) {
        settleReady[0]();
        events.emit('ready', undefined);
      }
      // Writes run one at a time; a write that finds a newer config pending skips itself.
      if (event.source === 'server' && cache)
        cacheWrite = cacheWrite
          .then<unknown>(() => config.snapshot === snapshot && cache.set(snapshot))
          .catch((error: unknown) => report('STORAGE', `cache: ${error}`, error));
      events.emit('change', event);
    });
    /** Validates a config from bootstrap or cache and, unless it is older, makes it current. */
    const adopt = (raw: unknown, source: 'bootstrap' | 'cache') => {
      const decoded = decoder.snapshot(raw);
      if (!decoded.ok) report('BAD_MESSAGE', `${source}: ${decoded.error}`);
      else if (!(decoded.value.version <= config.version!)) config.replace(decoded.value, source);
    };
    if (options.bootstrap !== undefined) adopt(options.bootstrap, 'bootstrap');

    // Kept variants, then the cached config, then the server.
    void (async () => {
      // Read in parallel with the kept variants.
      const cached = cache && Promise.resolve().then(() => cache.get());
      cached?.catch(() => {});
      const change = await kept;
      if (change) events.emit('change', change);
      try {
        const raw = await cached;
        if (raw != null) adopt(raw, 'cache');
      } catch (error) {
        report('STORAGE', `cache: ${error}`, error);
      }
      if (!closing) sync?.start();
    })();
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

  /** The reads (and `track`) bound to `context`. */
  forContext(context: EvaluationContext): ContextClient {
    return {
      ...bindFlags(this, context),
      track: (type, properties) => this.track(type, context, properties),
    };
  }
}
