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

/**
 * Everything SDKs of `environment` need, at the latest domain-log seq (read in one consistent
 * view, so `version` matches the content). Archived flags and experiments are left out.
 */
export async function buildConfigSnapshot(
  reader: StoreReader,
  environment: string,
): Promise<ConfigSnapshot> {
  const version = await reader.latestSeq();
  const experimentList = await states<Experiment>(reader, 'Experiment', environment);
  const byId = new Map(experimentList.map((e) => [e.$id, e]));
  const flags: Record<string, FlagConfig> = {};
  for (const flag of await states<FeatureFlag>(reader, 'FeatureFlag', environment)) {
    if (flag.status === 'Archived') continue;
    const linked = flag.experiment === undefined ? null : (byId.get(flag.experiment) ?? null);
    flags[flag.key] = compileFlag(flag, linked);
  }
  const experiments: Record<string, ExperimentConfig> = {};
  for (const experiment of experimentList) {
    if (experiment.status !== 'Archived')
      experiments[experiment.$id] = compileExperiment(experiment);
  }
  const segments: Record<string, Condition> = {};
  for (const segment of await states<Segment>(reader, 'Segment', environment)) {
    segments[segment.key] = segment.condition;
  }
  return { version, environment, flags, experiments, segments };
}
