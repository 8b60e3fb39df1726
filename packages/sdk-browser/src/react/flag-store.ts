import { assignExperiment, evaluateFlag } from '@switchyard/core';
import type { ConfigSnapshot, EvaluationContext, JsonValue, Widen } from '@switchyard/core';
import { notReady } from '@switchyard/sdk-core';
import type { ConfigChangeEvent, FlagDetails, SwitchyardClient } from '@switchyard/sdk-core';

/** A client, possibly one that remembers the config it was bootstrapped with (`BrowserClient`). */
export type StoreClient = SwitchyardClient & { readonly bootstrapped?: ConfigSnapshot };

type Kind = 'flags' | 'experiments';

/** What a change must name to touch an entry: a flag's or an experiment's key. */
interface Keyed {
  kind: Kind;
  key: string;
}

/** Equal as JSON: flag values and details are plain JSON built in a fixed key order. */
const same = (a: unknown, b: unknown): boolean =>
  a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The reads of one client for one context, cached per key for React's `useSyncExternalStore`:
 * a read is evaluated again only after a change that lists its key (or the first config), and
 * when the result equals the cached one the cached object is kept, so React skips the
 * components that read it. Server snapshots evaluate the config the client was bootstrapped with
 * (what the server rendered), logging no exposure, so hydration sees the server's values.
 */
export class FlagStore {
  #listeners = new Map<string, Keyed & { set: Set<() => void> }>();
  /** `kind \0 key \0 default as JSON` → the last read */
  #cache = new Map<string, Keyed & { value: unknown; stale?: boolean }>();
  #server = new Map<string, FlagDetails<JsonValue>>();
  #unsubscribe: (() => void) | undefined;
  /** The config the cache was last checked against: another one means a change went unheard. */
  #checked: ConfigSnapshot | undefined;

  constructor(
    readonly client: StoreClient,
    readonly context: EvaluationContext,
  ) {}

  /** Calls `listener` after each change that may affect flag or experiment `key`. */
  subscribe(kind: Kind, key: string, listener: () => void): () => void {
    const id = `${kind}\0${key}`;
    const listeners = this.#listeners;
    let entry = listeners.get(id);
    if (!entry) listeners.set(id, (entry = { kind, key, set: new Set() }));
    entry.set.add(listener);
    this.#unsubscribe ??= this.client.on('change', (event) => this.#onChange(event));
    return () => {
      entry.set.delete(listener);
      if (!entry.set.size) listeners.delete(id);
      if (!listeners.size) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
    };
  }

  /** The details of flag `key`: the same object for as long as they read the same. */
  details<T extends JsonValue>(key: string, defaultValue: T): FlagDetails<Widen<T>> {
    return this.#read(
      'flags',
      key,
      JSON.stringify(defaultValue),
      (old?: FlagDetails<JsonValue>) => {
        const details: FlagDetails<JsonValue> = this.client.getDetails(
          key,
          this.context,
          defaultValue,
        );
        // Only the reason changed: keep the value object, so `useFlag` readers stay put.
        return !old
          ? details
          : same(details, old)
            ? old
            : same(details.value, old.value)
              ? { ...details, value: old.value }
              : details;
      },
    ) as FlagDetails<Widen<T>>;
  }

  /** The variant of experiment `id` (a string: equal reads are the same value). */
  variant(id: string): string | null {
    return this.#read('experiments', id, '', () => this.client.getVariant(id, this.context));
  }

  /** `details` as the server rendered it: evaluated on the bootstrap config. */
  serverDetails<T extends JsonValue>(key: string, defaultValue: T): FlagDetails<Widen<T>> {
    const id = `${key}\0${JSON.stringify(defaultValue)}`;
    let details = this.#server.get(id);
    if (!details) {
      const config = this.#rendered();
      details = config
        ? evaluateFlag(config, key, this.context, defaultValue)
        : notReady(defaultValue);
      this.#server.set(id, details);
    }
    return details as FlagDetails<Widen<T>>;
  }

  /** `variant` as the server rendered it. */
  serverVariant(id: string): string | null {
    const config = this.#rendered();
    return config ? assignExperiment(config, id, this.context).variant : null;
  }

  #rendered(): ConfigSnapshot | undefined {
    return 'bootstrapped' in this.client ? this.client.bootstrapped : this.client.snapshot;
  }

  /** The cached read of `key`, read again (given the old value) when a change made it stale. */
  #read<T>(kind: Kind, key: string, id: string, read: (old?: T) => T): T {
    // A change made while nobody listened (between a render and its subscription, or with
    // nothing mounted) went unheard: which keys it touched is unknown, so every read is stale.
    if (this.client.snapshot !== this.#checked) this.#stale(() => true);
    const cacheKey = `${kind}\0${key}\0${id}`;
    const cached = this.#cache.get(cacheKey);
    if (cached && !cached.stale) return cached.value as T;
    const value = read(cached?.value as T | undefined);
    this.#cache.set(cacheKey, { kind, key, value });
    return value;
  }

  /** Marks the reads `affects` names stale; returns the listeners of those keys. */
  #stale(affects: (entry: Keyed) => boolean): Array<() => void> {
    this.#checked = this.client.snapshot;
    for (const entry of this.#cache.values()) if (affects(entry)) entry.stale = true;
    return [...this.#listeners.values()].filter(affects).flatMap((entry) => [...entry.set]);
  }

  #onChange(event: ConfigChangeEvent): void {
    // The first config changes every read, including those of keys it does not have.
    const all = event.previousVersion === undefined;
    for (const listener of this.#stale(({ kind, key }) => all || event[kind].includes(key)))
      listener();
  }
}
