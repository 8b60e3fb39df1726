import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '@switchyard/core/schema';
import type { Condition } from '@switchyard/core/schema';
import type { Experiment } from '../entities/experiment/schema';
import type { FeatureFlag } from '../entities/feature-flag/schema';
import type { Segment } from '../entities/segment/segment';
import type { StoreReader } from '../store/store';
import { compileExperiment } from './compile-experiment';
import { compileFlag } from './compile-flag';

async function states<T>(reader: StoreReader, type: string, environment: string): Promise<T[]> {
  return (await reader.listEntities(type, environment)).map((r) => r.data as T);
}

/** The entity types an environment's config is compiled from. */
export const CONFIG_ENTITY_TYPES = ['Experiment', 'FeatureFlag', 'Segment'] as const;

/** The stored states a config is compiled from. */
export interface ConfigStates {
  experiments: readonly Experiment[];
  flags: readonly FeatureFlag[];
  segments: readonly Segment[];
}

/** How entities compile; the sync hub passes memoizing versions of the pure defaults. */
export interface ConfigCompilers {
  flag(flag: FeatureFlag, linked: Experiment | null): FlagConfig;
  experiment(experiment: Experiment): ExperimentConfig;
}

const PURE_COMPILERS: ConfigCompilers = { flag: compileFlag, experiment: compileExperiment };

/**
 * Everything SDKs of `environment` need (read in one consistent view). Its version is the seq of
 * the last domain-log row about the environment's experiments, flags or segments: rows that do
 * not touch its config (events, metric points, other environments) do not move it, so the same
 * content keeps the same version (and ETag) on every instance and across restarts.
 * Archived flags and experiments are left out.
 */
export async function buildConfigSnapshot(
  reader: StoreReader,
  environment: string,
): Promise<ConfigSnapshot> {
  const version = await reader.latestSeqOf(environment, CONFIG_ENTITY_TYPES);
  return assembleConfigSnapshot(version, environment, {
    experiments: await states<Experiment>(reader, 'Experiment', environment),
    flags: await states<FeatureFlag>(reader, 'FeatureFlag', environment),
    segments: await states<Segment>(reader, 'Segment', environment),
  });
}

/** The config of `environment` compiled from its entities' states. Pure. */
export function assembleConfigSnapshot(
  version: number,
  environment: string,
  states: ConfigStates,
  compile: ConfigCompilers = PURE_COMPILERS,
): ConfigSnapshot {
  const byId = new Map(states.experiments.map((e) => [e.$id, e]));
  const flags: Record<string, FlagConfig> = {};
  for (const flag of states.flags) {
    if (flag.status === 'Archived') continue;
    const linked = flag.experiment === undefined ? null : (byId.get(flag.experiment) ?? null);
    flags[flag.key] = compile.flag(flag, linked);
  }
  const experiments: Record<string, ExperimentConfig> = {};
  for (const experiment of states.experiments) {
    if (experiment.status !== 'Archived')
      experiments[experiment.$id] = compile.experiment(experiment);
  }
  const segments: Record<string, Condition> = {};
  for (const segment of states.segments) {
    segments[segment.key] = segment.condition;
  }
  return { version, environment, flags, experiments, segments };
}
