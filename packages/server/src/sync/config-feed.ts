import type { ConfigSnapshot } from '@switchyard/core/schema';
import type { Experiment } from '../entities/experiment/schema';
import type { FeatureFlag } from '../entities/feature-flag/schema';
import type { Segment } from '../entities/segment/segment';
import type { Environments } from '../service/environments';
import type { LogEntry } from '../store/records';
import type { Store, StoreReader } from '../store/store';
import type { ConfigStep, ConfigView } from './change-history';
import { CONFIG_ENTITY_TYPES } from '../config/config-snapshot';
import { EnvironmentConfig, isConfigEntry } from './environment-config';
import { EnvironmentFeed } from './environment-feed';
import type { LogFollower } from './log-follower';

/** Hears each step of each loaded environment, in version order, as it happens. */
export type StepListener = (feed: EnvironmentFeed, step: ConfigStep) => void;

/** Options of `ConfigFeed`. */
export interface ConfigFeedOptions {
  store: Store;
  follower: LogFollower;
  environments: Environments;
  /** Steps kept per environment for clients that resume (default 256). */
  historySize?: number;
}

async function states<T>(reader: StoreReader, type: string, environment: string): Promise<T[]> {
  return (await reader.listEntities(type, environment)).map((r) => r.data as T);
}

/**
 * The config of every environment an SDK asked for, kept current from the domain log: loaded on
 * first use, then moved forward by each committed row (this instance's or another's), with a
 * step announced for every move.
 */
export class ConfigFeed {
  readonly #feeds = new Map<string, EnvironmentFeed>();
  readonly #loading = new Map<string, Promise<EnvironmentFeed>>();
  readonly #listeners = new Set<StepListener>();
  readonly #historySize: number;

  constructor(private readonly o: ConfigFeedOptions) {
    this.#historySize = o.historySize ?? 256;
    o.follower.subscribe((entries) => this.#delivered(entries));
  }

  /** Calls `listener` on each step; returns the unsubscribe function. */
  onStep(listener: StepListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The environment's feed, loaded on first use; a NotFoundError for an unknown environment. */
  environment(name: string): Promise<EnvironmentFeed> {
    const loaded = this.#feeds.get(name);
    if (loaded) return Promise.resolve(loaded);
    let loading = this.#loading.get(name);
    if (!loading) {
      loading = this.#load(name).finally(() => this.#loading.delete(name));
      this.#loading.set(name, loading);
    }
    return loading;
  }

  /** The current config of an environment as a view sees it (loading the environment first). */
  async snapshot(environment: string, view: ConfigView): Promise<ConfigSnapshot> {
    return (await this.environment(environment)).snapshot(view);
  }

  /** The feed of an environment if it is loaded. */
  loaded(name: string): EnvironmentFeed | undefined {
    return this.#feeds.get(name);
  }

  async #load(name: string): Promise<EnvironmentFeed> {
    await this.o.environments.ensure(name);
    // Between deliveries: rows up to the position read here are in the states; later rows are
    // delivered to the feed afterwards, and the ones it already has are skipped (`loadedAt`).
    return this.o.follower.exclusive(async () => {
      const read = await this.o.store.read(async (r) => ({
        version: await r.latestSeqOf(name, CONFIG_ENTITY_TYPES),
        position: await r.latestSeq(),
        experiments: await states<Experiment>(r, 'Experiment', name),
        flags: await states<FeatureFlag>(r, 'FeatureFlag', name),
        segments: await states<Segment>(r, 'Segment', name),
      }));
      const config = new EnvironmentConfig(name, read.version, read);
      const feed = new EnvironmentFeed(config, read.position, this.#historySize);
      this.#feeds.set(name, feed);
      return feed;
    });
  }

  #delivered(entries: readonly LogEntry[]): void {
    const touched = new Set<string>();
    for (const e of entries) if (isConfigEntry(e)) touched.add(e.environment);
    for (const name of touched) {
      const feed = this.#feeds.get(name);
      const step = feed?.apply(entries);
      if (!feed || !step) continue;
      for (const listener of this.#listeners) listener(feed, step);
    }
  }
}
