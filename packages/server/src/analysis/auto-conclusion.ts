import type { Experiment } from '../entities/experiment/schema';
import { autoConcludes } from '../entities/experiment/schema';
import { ConflictError, SwitchyardError } from '../errors';
import { lookAtResults } from '../ingest/experiment-results';
import type { ExperimentResultsReport } from '../ingest/experiment-results';
import type { Switchyard } from '../service/switchyard';
import { recordSrmState } from './srm-alert';

/** The actor of the conclusions the server makes itself. */
export const AUTO_CONCLUDE_ACTOR = 'system:auto-conclude';

/** What looking at a running experiment led to. */
export type ConclusionOutcome =
  /** The server concluded it (`Experiment.conclude`, hooks and all). */
  | { kind: 'concluded'; winner: string; confidence: number; lift: number | null }
  /** Not (yet): the target is not reached, the test is not significant, or a mismatch blocks. */
  | {
      kind: 'waiting';
      reason: 'target' | 'not-significant' | 'srm';
      results: ExperimentResultsReport;
    }
  /** Not Running, without a metric, or not auto-concluding (its results were still looked at). */
  | { kind: 'skipped' }
  /** Another instance (or a person) concluded or stopped it first. */
  | { kind: 'lost' }
  /** A before-hook (`Experiment.concluding`) or the verb refused. */
  | { kind: 'refused'; error: SwitchyardError };

/**
 * Looks at a Running experiment's primary metric (a recorded look, see `lookAtResults`), logs a
 * change of its sample-ratio-mismatch state (`recordSrmState`), and, when it auto-concludes
 * (`autoConcludes`), concludes it once the target sample size is reached, the sequential test
 * names a winner at the experiment's confidence level and there is no mismatch: through the real
 * `Experiment.conclude` verb, as `system:auto-conclude`, with the decision's winner, confidence
 * and lift, so its before- and after-hooks, remote hooks and webhooks run as for a manual
 * conclusion. A conclusion that lost a race (409) is quietly `lost`.
 */
export async function considerConclusion(
  sy: Switchyard,
  environment: string,
  experimentId: string,
): Promise<ConclusionOutcome> {
  const experiment = (
    await sy.store.read((r) => r.getEntity('Experiment', environment, experimentId))
  )?.data as Experiment | undefined;
  if (!experiment || experiment.status !== 'Running' || experiment.metric === undefined) {
    return { kind: 'skipped' };
  }
  const results = await lookAtResults(
    sy.store,
    sy.clock,
    environment,
    experiment.$id,
    experiment.metric,
  );
  const units = Object.fromEntries(results.variants.map((v) => [v.key, v.units]));
  await recordSrmState(sy.store, environment, experiment.$id, results.srm, units, sy.clock.now());
  if (!autoConcludes(experiment)) return { kind: 'skipped' };
  const { decision } = results;
  if (decision.srmDetected) return { kind: 'waiting', reason: 'srm', results };
  if (!decision.targetReached) return { kind: 'waiting', reason: 'target', results };
  if (!decision.significant || decision.winner === null) {
    return { kind: 'waiting', reason: 'not-significant', results };
  }
  const confidence = Math.min(1, Math.max(0, decision.confidence));
  try {
    await sy.call(
      'Experiment',
      'conclude',
      {
        id: experiment.$id,
        winner: decision.winner,
        confidence,
        ...(decision.lift === null ? {} : { lift: decision.lift }),
      },
      environment,
      AUTO_CONCLUDE_ACTOR,
    );
  } catch (error) {
    if (error instanceof ConflictError) return { kind: 'lost' };
    if (error instanceof SwitchyardError) return { kind: 'refused', error };
    throw error;
  }
  return { kind: 'concluded', winner: decision.winner, confidence, lift: decision.lift };
}
