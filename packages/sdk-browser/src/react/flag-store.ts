import { assignExperiment, evaluateFlag } from '@switchyard/core';
import type { ConfigSnapshot, EvaluationContext, JsonValue, Widen } from '@switchyard/core';
import { notReady } from '@switchyard/sdk-core';
import type { ConfigChangeEvent, FlagDetails, SwitchyardClient } from '@switchyard/sdk-core';

/** A client, possibly one that remembers the config it was bootstrapped with (`BrowserClient`). */
export type StoreClient = SwitchyardClient & { readonly bootstrapped?: ConfigSnapshot };

type Kind = 'flags' | 'experiments';

interface Cached<T> {
  value: T;
  stale: boolean;
}

/**
 * The reads of one client for one context, cached per key for React's `useSyncExternalStore`:
 * a read is evaluated again only after a change that lists its key (or the first config), and
 * when the result equals the cached one the cached object is kept, so React skips the
 * components that read it. Server snapshots evaluate the config the client was bootstrapped with
 * (what the server rendered), logging no exposure, so hydration sees the server's values.
 */
export class FlagStore {
  #listeners: Record<Kind, Map<string, Set<() => void>>> = {
    flags: new Map(),
    experiments: new Map(),
  };
  /** flag key → default value as JSON → details */
  #details = new Map<string, Map<string, Cached<FlagDetails<JsonValue>>>>();
  #variants = new Map<string, Cached<string | null>>();
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
    const byKey = this.#listeners[kind];
    let set = byKey.get(key);
    if (!set) byKey.set(key, (set = new Set()));
    set.add(listener);
    this.#unsubscribe ??= this.client.on('change', (event) => this.#onChange(event));
    return () => {
      set.delete(listener);
      if (set.size === 0) byKey.delete(key);
      if (this.#listeners.flags.size + this.#listeners.experiments.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
    };
  }

  /** The details of flag `key`: the same object for as long as they read the same. */
  details<T extends JsonValue>(key: string, defaultValue: T): FlagDetails<Widen<T>> {
    this.#catchUp();
    let byDefault = this.#details.get(key);
    if (!byDefault) this.#details.set(key, (byDefault = new Map()));
    const id = JSON.stringify(defaultValue);
    const cached = byDefault.get(id);
    if (cached && !cached.stale) return cached.value as FlagDetails<Widen<T>>;
    let details: FlagDetails<JsonValue> = this.client.getDetails(key, this.context, defaultValue);
    if (cached) {
      const old = cached.value;
      if (same(details, old)) details = old;
      // Only the reason changed: keep the value object, so `useFlag` readers stay put.
      else if (same(details.value, old.value)) details = { ...details, value: old.value };
    }
    byDefault.set(id, { value: details, stale: false });
    return details as FlagDetails<Widen<T>>;
  }

  /** The variant of experiment `id` (a string: equal reads are the same value). */
  variant(id: string): string | null {
    this.#catchUp();
    const cached = this.#variants.get(id);
    if (cached && !cached.stale) return cached.value;
    const value = this.client.getVariant(id, this.context);
    this.#variants.set(id, { value, stale: false });
    return value;
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

  /**
   * Marks every read stale after a change made while nobody listened (between a render and its
   * subscription, or with nothing mounted): which keys it touched is unknown.
   */
  #catchUp(): void {
    if (this.client.snapshot === this.#checked) return;
    this.#checked = this.client.snapshot;
    for (const byDefault of this.#details.values())
      for (const cached of byDefault.values()) cached.stale = true;
    for (const cached of this.#variants.values()) cached.stale = true;
  }

  #onChange(event: ConfigChangeEvent): void {
    this.#checked = this.client.snapshot;
    // The first config changes every read, including those of keys it does not have.
    const all = event.previousVersion === undefined;
    const affects = (kind: Kind, key: string) => all || event[kind].includes(key);
    for (const [key, byDefault] of this.#details)
      if (affects('flags', key)) for (const cached of byDefault.values()) cached.stale = true;
    for (const [id, cached] of this.#variants) if (affects('experiments', id)) cached.stale = true;
    const listeners: Array<() => void> = [];
    for (const kind of ['flags', 'experiments'] as const)
      for (const [key, set] of this.#listeners[kind])
        if (affects(kind, key)) listeners.push(...set);
    for (const listener of listeners) listener();
  }
}

/** Equal as JSON: flag values and details are plain JSON built in a fixed key order. */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
