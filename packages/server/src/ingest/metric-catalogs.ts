import type { Store } from '../store/store';
import type { LogFollower } from '../sync/log-follower';
import type { MetricCatalog } from './metric-catalog';
import { readMetricCatalog } from './metric-catalog';

/**
 * Entity types whose changes change what is counted: flags and workflows for guarded rollouts
 * (a new rollout percent starts a new stage).
 */
const DEFINING_TYPES: ReadonlySet<string> = new Set([
  'Experiment',
  'Metric',
  'FeatureFlag',
  'Workflow',
]);

interface Cached {
  generation: number;
  catalog: Promise<MetricCatalog>;
}

/**
 * The metric catalog of each environment, read once and kept until a committed experiment or
 * metric change of that environment (seen in the domain log, from any instance) makes it stale.
 */
export class MetricCatalogs {
  readonly #cache = new Map<string, Cached>();
  readonly #generations = new Map<string, number>();

  constructor(
    private readonly store: Store,
    follower: LogFollower,
  ) {
    follower.subscribe((entries) => {
      for (const e of entries) if (DEFINING_TYPES.has(e.entityType)) this.#stale(e.environment);
    });
  }

  /** The current catalog of `environment`. */
  get(environment: string): Promise<MetricCatalog> {
    const generation = this.#generations.get(environment) ?? 0;
    const cached = this.#cache.get(environment);
    if (cached && cached.generation === generation) return cached.catalog;
    const catalog = this.store.read((r) => readMetricCatalog(r, environment));
    const entry = { generation, catalog };
    this.#cache.set(environment, entry);
    catalog.catch(() => {
      if (this.#cache.get(environment) === entry) this.#cache.delete(environment);
    });
    return catalog;
  }

  #stale(environment: string): void {
    this.#generations.set(environment, (this.#generations.get(environment) ?? 0) + 1);
  }
}
