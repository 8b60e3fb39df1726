import { compileCondition } from '@switchyard/core';
import type { CompiledCondition } from '@switchyard/core';
import { guardedFlagKey, guardMetricsByFlag } from '../analysis/guarded-flags';
import type { Experiment } from '../entities/experiment/schema';
import type { FeatureFlag } from '../entities/feature-flag/schema';
import type { Workflow } from '../entities/workflow/schema';
import type { Metric } from '../entities/metric/schema';
import type { MetricKind } from '../stats/types';
import type { StoreReader } from '../store/store';

/** A metric as ingestion counts it. */
export interface CountedMetric {
  name: string;
  kind: MetricKind;
  /** The event type that feeds it. */
  event: string;
  /** Mean metrics: the numeric property measured. */
  property?: string;
  /** Mean metrics: a unit's value is the mean of its values, or their sum. */
  aggregate: 'mean' | 'sum';
  /** Only events whose properties match count. */
  matches?: CompiledCondition;
}

/**
 * An experiment whose exposures and metrics are being counted; or a guarded flag's current
 * rollout stage, counted the same way under `guardedFlagKey(flag)` with the flag's variants.
 */
export interface CountedExperiment {
  id: string;
  variants: ReadonlySet<string>;
  metrics: readonly CountedMetric[];
}

/** One metric of one experiment that an event type feeds. */
export interface MetricInterest {
  experiment: CountedExperiment;
  metric: CountedMetric;
}

/** What ingestion counts in one environment. */
export interface MetricCatalog {
  /** Experiments that count exposures: the running ones, and paused ones (late events). */
  experiments: ReadonlyMap<string, CountedExperiment>;
  /** Flags a live workflow's guard watches, by flag key: their flag exposures count. */
  flags: ReadonlyMap<string, CountedExperiment>;
  byEventType: ReadonlyMap<string, readonly MetricInterest[]>;
}

/** Statuses in which an experiment's exposures and metrics are counted. */
const COUNTING: ReadonlySet<string> = new Set(['Running', 'Paused']);

/**
 * The metric an experiment names, from its definition (`Metric.define`); a name without a
 * definition counts as the conversion metric of the event type of the same name.
 */
export function countedMetric(name: string, definition: Metric | undefined): CountedMetric {
  if (!definition) return { name, kind: 'conversion', event: name, aggregate: 'mean' };
  return {
    name,
    kind: definition.kind,
    event: definition.event,
    ...(definition.property === undefined ? {} : { property: definition.property }),
    aggregate: definition.aggregate ?? 'mean',
    ...(definition.condition === undefined
      ? {}
      : { matches: compileCondition(definition.condition) }),
  };
}

/**
 * What to count, from the environment's experiments, metric definitions and, for guarded
 * rollouts, its flags and workflows. Pure.
 */
export function buildMetricCatalog(
  experiments: readonly Experiment[],
  metrics: readonly Metric[],
  flags: readonly FeatureFlag[] = [],
  workflows: readonly Workflow[] = [],
): MetricCatalog {
  const definitions = new Map(metrics.map((m) => [m.name, m]));
  const counted = new Map<string, CountedExperiment>();
  const byEventType = new Map<string, MetricInterest[]>();
  const add = (experiment: CountedExperiment) => {
    for (const metric of experiment.metrics) {
      const list = byEventType.get(metric.event) ?? [];
      list.push({ experiment, metric });
      byEventType.set(metric.event, list);
    }
  };
  for (const e of experiments) {
    if (!COUNTING.has(e.status)) continue;
    const names = [...new Set([e.metric, ...(e.secondaryMetrics ?? [])])].filter(
      (n): n is string => n !== undefined,
    );
    const experiment: CountedExperiment = {
      id: e.$id,
      variants: new Set(e.variants.map((v) => v.key)),
      metrics: names.map((n) => countedMetric(n, definitions.get(n))),
    };
    counted.set(e.$id, experiment);
    add(experiment);
  }
  const guarded = new Map<string, CountedExperiment>();
  const guards = guardMetricsByFlag(workflows, flags);
  for (const flag of flags) {
    const names = guards.get(flag.$id);
    if (names === undefined || flag.status !== 'Active') continue;
    const stage: CountedExperiment = {
      id: guardedFlagKey(flag),
      variants: new Set(flag.variants.map((v) => v.key)),
      metrics: [...names].map((n) => countedMetric(n, definitions.get(n))),
    };
    guarded.set(flag.key, stage);
    add(stage);
  }
  return { experiments: counted, flags: guarded, byEventType };
}

/** The catalog of `environment` as `reader` sees it. */
export async function readMetricCatalog(
  reader: StoreReader,
  environment: string,
): Promise<MetricCatalog> {
  const list = async <T>(type: string) =>
    (await reader.listEntities(type, environment)).map((x) => x.data as T);
  return buildMetricCatalog(
    await list<Experiment>('Experiment'),
    await list<Metric>('Metric'),
    await list<FeatureFlag>('FeatureFlag'),
    await list<Workflow>('Workflow'),
  );
}
