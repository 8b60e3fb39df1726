import type { Experiment } from '../entities/experiment/schema';
import type { Metric } from '../entities/metric/schema';
import { loadEntity } from '../entities/common';
import { ValidationError } from '../errors';
import { analyzeExperiment } from '../stats/analyze-experiment';
import type { ExperimentResults, VariantStats } from '../stats/types';
import type { AggregateRow } from '../store/ingest-queries';
import type { StoreReader } from '../store/store';
import type { CountedMetric } from './metric-catalog';
import { countedMetric } from './metric-catalog';

/** An experiment's results for one metric. */
export interface ExperimentMetricResults extends ExperimentResults {
  experiment: string;
  /** The metric analysed: the experiment's primary one unless another was asked for. */
  metricName: string;
}

/**
 * The per-variant statistics the stats module takes, from the aggregate rows of one metric.
 * A metric whose unit value is a mean of the unit's values counts only the units that have
 * one (`observed`); every other metric counts every exposed unit, a unit without events
 * contributing 0 (not converted, no events, nothing spent).
 */
export function variantStats(metric: CountedMetric, rows: readonly AggregateRow[]): VariantStats[] {
  const perUnitMean = metric.kind === 'mean' && metric.aggregate === 'mean';
  return rows
    .filter((r) => r.metric === metric.name)
    .map((r) => ({
      key: r.variant,
      units: perUnitMean ? r.observed : r.units,
      ...(metric.kind === 'conversion' ? { conversions: r.conversions } : {}),
      sum: r.sum,
      sumSquares: r.sumSquares,
    }));
}

/** Analyses an experiment from its aggregates (`analyzeExperiment`), for its metric or `metricName`. */
export async function experimentResults(
  reader: StoreReader,
  environment: string,
  id: string,
  metricName?: string,
): Promise<ExperimentMetricResults> {
  const experiment = await loadEntity<Experiment>(reader, 'Experiment', environment, id);
  const name = metricName ?? experiment.metric;
  if (name === undefined) {
    throw ValidationError.at(
      ['metric'],
      'the experiment names no metric; ask for one with ?metric=',
    );
  }
  const definition = (await reader.getEntityByKey('Metric', environment, name))?.data as
    Metric | undefined;
  const metric = countedMetric(name, definition);
  const rows = await reader.ingest.aggregates(experiment.$id);
  const results = analyzeExperiment({
    variants: experiment.variants.map((v) => ({ key: v.key, weight: v.weight })),
    metric: metric.kind,
    stats: variantStats(metric, rows),
    ...(experiment.targetSampleSize === undefined
      ? {}
      : { targetSampleSize: experiment.targetSampleSize }),
    ...(definition?.higherIsBetter === undefined
      ? {}
      : { higherIsBetter: definition.higherIsBetter }),
  });
  return { experiment: experiment.$id, metricName: name, ...results };
}
