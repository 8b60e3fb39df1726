import type { Clock } from '../clock';
import type { Experiment } from '../entities/experiment/schema';
import { autoConcludes } from '../entities/experiment/schema';
import type { Metric } from '../entities/metric/schema';
import { loadEntity } from '../entities/common';
import { ValidationError } from '../errors';
import { analyzeExperiment } from '../stats/analyze-experiment';
import type { ExperimentResults, VariantStats } from '../stats/types';
import type { SequentialLook } from '../store/analysis-queries';
import type { AggregateRow } from '../store/ingest-queries';
import type { Store, StoreReader } from '../store/store';
import type { CountedMetric } from './metric-catalog';
import { countedMetric } from './metric-catalog';

/** An experiment's results for one metric. */
export interface ExperimentMetricResults extends ExperimentResults {
  experiment: string;
  /** The metric analysed: the experiment's primary one unless another was asked for. */
  metricName: string;
}

/**
 * The body of `GET /v1/experiments/:id/results`: the primary metric's results (or those of the
 * metric asked for) at the top level, the experiment's status and auto-conclusion setting, and,
 * unless one metric was asked for, the results of each secondary metric.
 */
export interface ExperimentResultsReport extends ExperimentMetricResults {
  status: Experiment['status'];
  autoConclude: boolean;
  /** Results of the secondary metrics (absent when `?metric=` picked one). */
  secondary?: ExperimentMetricResults[];
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

/** The metric named `name` as ingestion counts it, from its definition if there is one. */
export async function loadCountedMetric(
  reader: StoreReader,
  environment: string,
  name: string,
): Promise<{ metric: CountedMetric; definition: Metric | undefined }> {
  const definition = (await reader.getEntityByKey('Metric', environment, name))?.data as
    Metric | undefined;
  return { metric: countedMetric(name, definition), definition };
}

/** Analyses one metric of an experiment, each sequential p-value the running minimum of `looks`. */
async function metricResults(
  reader: StoreReader,
  experiment: Experiment,
  name: string,
  rows: readonly AggregateRow[],
  looks: readonly SequentialLook[],
): Promise<ExperimentMetricResults> {
  const { metric, definition } = await loadCountedMetric(reader, experiment.environment, name);
  const previous = Object.fromEntries(
    looks.filter((l) => l.metric === name).map((l) => [l.variant, l.pValue]),
  );
  const results = analyzeExperiment({
    variants: experiment.variants.map((v) => ({ key: v.key, weight: v.weight })),
    metric: metric.kind,
    stats: variantStats(metric, rows),
    previousSequentialPValues: previous,
    ...(experiment.targetSampleSize === undefined
      ? {}
      : { targetSampleSize: experiment.targetSampleSize }),
    ...(experiment.confidenceLevel === undefined
      ? {}
      : { confidenceLevel: experiment.confidenceLevel }),
    ...(definition?.higherIsBetter === undefined
      ? {}
      : { higherIsBetter: definition.higherIsBetter }),
  });
  return { experiment: experiment.$id, metricName: name, ...results };
}

/**
 * Analyses an experiment from its aggregates (`analyzeExperiment`): its primary metric, or
 * `metricName` alone, and otherwise each secondary metric too. Reads only.
 */
export async function experimentResults(
  reader: StoreReader,
  environment: string,
  id: string,
  metricName?: string,
): Promise<ExperimentResultsReport> {
  const experiment = await loadEntity<Experiment>(reader, 'Experiment', environment, id);
  const name = metricName ?? experiment.metric;
  if (name === undefined) {
    throw ValidationError.at(
      ['metric'],
      'the experiment names no metric; ask for one with ?metric=',
    );
  }
  const rows = await reader.ingest.aggregates(experiment.$id);
  const looks = await reader.analysis.sequentialLooks(experiment.$id);
  const main = await metricResults(reader, experiment, name, rows, looks);
  const report: ExperimentResultsReport = {
    ...main,
    status: experiment.status,
    autoConclude: autoConcludes(experiment),
  };
  if (metricName === undefined) {
    const others = (experiment.secondaryMetrics ?? []).filter((m) => m !== name);
    report.secondary = [];
    for (const other of [...new Set(others)]) {
      report.secondary.push(await metricResults(reader, experiment, other, rows, looks));
    }
  }
  return report;
}

/** Every sequential p-value of these results, as looks to record. */
export function looksOf(results: readonly ExperimentMetricResults[]): SequentialLook[] {
  return results.flatMap((r) =>
    r.variants.flatMap((v) => {
      const pValue = v.comparison?.sequential.pValue;
      return pValue === null || pValue === undefined
        ? []
        : [{ experiment: r.experiment, metric: r.metricName, variant: v.key, pValue }];
    }),
  );
}

/**
 * Looks at an experiment's results and records the look: each always-valid p-value reported is
 * the minimum of the stored running minimum and the current one, and a lower one is stored, so
 * the p-values never rise from one look to the next (a look is any GET of the results and each
 * analysis the server runs after ingestion). The read and the small write are two transactions;
 * the write only ever lowers a stored value, so concurrent looks cannot raise it.
 */
export async function lookAtResults(
  store: Store,
  clock: Clock,
  environment: string,
  id: string,
  metricName?: string,
): Promise<ExperimentResultsReport> {
  const { report, stored } = await store.read(async (r) => {
    const found = await experimentResults(r, environment, id, metricName);
    return { report: found, stored: await r.analysis.sequentialLooks(found.experiment) };
  });
  const known = new Map(stored.map((l) => [`${l.metric}\u0000${l.variant}`, l.pValue]));
  const lower = looksOf([report, ...(report.secondary ?? [])]).filter((l) => {
    const before = known.get(`${l.metric}\u0000${l.variant}`);
    return before === undefined || l.pValue < before;
  });
  if (lower.length > 0) {
    await store.transaction((tx) => tx.analysis.recordLooks(lower, clock.now().toISOString()));
  }
  return report;
}
