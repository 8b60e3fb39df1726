import { clientView } from '@switchyard/core';
import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '@switchyard/core/schema';
import { compileExperiment } from '../config/compile-experiment';
import { compileFlag } from '../config/compile-flag';
import type { ConfigCompilers, ConfigStates } from '../config/config-snapshot';
import { assembleConfigSnapshot, CONFIG_ENTITY_TYPES } from '../config/config-snapshot';
import type { Experiment } from '../entities/experiment/schema';
import type { FeatureFlag } from '../entities/feature-flag/schema';
import type { Segment } from '../entities/segment/segment';
import type { LogEntry } from '../store/records';
import type { ConfigStep, ConfigView } from './change-history';
import { diffConfig } from './config-diff';

const CONFIG_TYPES: ReadonlySet<string> = new Set(CONFIG_ENTITY_TYPES);

/** True when a log row changes some environment's config. */
export function isConfigEntry(entry: LogEntry): boolean {
  return CONFIG_TYPES.has(entry.entityType);
}

/**
 * Compilers that remember their last answer per stored state, so that a step recompiles only
 * the entities it changed, and unchanged entries stay the same objects (which `diffConfig` then
 * skips without a look).
 */
function memoizingCompilers(): ConfigCompilers {
  const flags = new WeakMap<FeatureFlag, { linked: Experiment | null; config: FlagConfig }>();
  const experiments = new WeakMap<Experiment, ExperimentConfig>();
  return {
    flag(flag, linked) {
      const known = flags.get(flag);
      if (known && known.linked === linked) return known.config;
      const config = compileFlag(flag, linked);
      flags.set(flag, { linked, config });
      return config;
    },
    experiment(experiment) {
      let config = experiments.get(experiment);
      if (!config) experiments.set(experiment, (config = compileExperiment(experiment)));
      return config;
    },
  };
}

/**
 * One environment's config, kept in memory and moved forward by domain-log rows. Its version is
 * the seq of the last row about one of its experiments, flags or segments, so every instance on
 * one database, and every restart, gives the same content the same version.
 */
export class EnvironmentConfig {
  readonly #experiments = new Map<string, Experiment>();
  readonly #flags = new Map<string, FeatureFlag>();
  readonly #segments = new Map<string, Segment>();
  readonly #compile = memoizingCompilers();
  #server: ConfigSnapshot;
  #client: ConfigSnapshot;

  /** `states` as of version `version`. */
  constructor(
    readonly environment: string,
    version: number,
    states: ConfigStates,
  ) {
    for (const e of states.experiments) this.#experiments.set(e.$id, e);
    for (const f of states.flags) this.#flags.set(f.$id, f);
    for (const s of states.segments) this.#segments.set(s.$id, s);
    this.#server = this.#assemble(version);
    this.#client = clientView(this.#server);
  }

  get version(): number {
    return this.#server.version;
  }

  /** The config as a view sees it. */
  snapshot(view: ConfigView): ConfigSnapshot {
    return view === 'client' ? this.#client : this.#server;
  }

  /**
   * Applies log rows (of any environment; others are skipped) in seq order. Answers the step
   * they make, or null when none is about this environment's config. A step may change nothing
   * a view sees (a description was edited): its version still moves.
   */
  apply(entries: readonly LogEntry[]): ConfigStep | null {
    let to = -1;
    for (const entry of entries) {
      if (entry.environment !== this.environment || !isConfigEntry(entry)) continue;
      if (entry.seq <= this.version) continue;
      to = entry.seq;
      const map = this.#mapOf(entry.entityType);
      if (entry.state === null) map.delete(entry.entityId);
      else map.set(entry.entityId, entry.state as never);
    }
    if (to < 0) return null;
    const before = { server: this.#server, client: this.#client };
    this.#server = this.#assemble(to);
    this.#client = clientView(this.#server);
    return {
      from: before.server.version,
      to,
      changes: {
        server: diffConfig(before.server, this.#server),
        client: diffConfig(before.client, this.#client),
      },
    };
  }

  #assemble(version: number): ConfigSnapshot {
    const states: ConfigStates = {
      experiments: [...this.#experiments.values()],
      flags: [...this.#flags.values()],
      segments: [...this.#segments.values()],
    };
    return assembleConfigSnapshot(version, this.environment, states, this.#compile);
  }

  #mapOf(type: string): Map<string, Experiment | FeatureFlag | Segment> {
    if (type === 'Experiment') return this.#experiments;
    if (type === 'FeatureFlag') return this.#flags;
    return this.#segments;
  }
}
