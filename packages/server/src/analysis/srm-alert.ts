import type { Experiment } from '../entities/experiment/schema';
import type { SampleRatioMismatch } from '../stats/types';
import type { JsonObject } from '../store/records';
import type { Store, StoreReader } from '../store/store';

/** The domain event of a sample-ratio mismatch found in a running experiment. */
export const SRM_DETECTED = 'experiment.srm_detected';
/** The domain event of a mismatch that went away. */
export const SRM_CLEARED = 'experiment.srm_cleared';

/** The actor of the server's own analysis events. */
export const ANALYSIS_ACTOR = 'system:analysis';

/**
 * Records a change of an experiment's sample-ratio-mismatch state in the domain log, once:
 * `experiment.srm_detected { pValue, chiSquare, units }` when a mismatch is seen and the last
 * such event (if any) was a clearing, `experiment.srm_cleared { pValue }` when it is no longer
 * seen after a detection. The check and the append share one transaction, so two instances
 * looking at once log it once. Answers the event type written, if any.
 */
export async function recordSrmState(
  store: Store,
  environment: string,
  experimentId: string,
  srm: SampleRatioMismatch,
  units: Readonly<Record<string, number>>,
  now: Date,
): Promise<string | null> {
  const flagged = async (reader: StoreReader) =>
    (
      await reader.readLog({
        entityId: experimentId,
        types: [SRM_DETECTED, SRM_CLEARED],
        limit: 10_000,
      })
    ).at(-1)?.type === SRM_DETECTED;
  // Most looks change nothing: a read decides whether a write transaction is needed at all.
  if ((await store.read(flagged)) === srm.detected) return null;
  return store.transaction(async (tx) => {
    const record = await tx.getEntity('Experiment', environment, experimentId);
    if (!record || (await flagged(tx)) === srm.detected) return null;
    const type = srm.detected ? SRM_DETECTED : SRM_CLEARED;
    const payload: JsonObject = srm.detected
      ? { pValue: srm.pValue, chiSquare: srm.chiSquare, units: { ...units } }
      : { pValue: srm.pValue };
    const experiment = record.data as Experiment;
    await tx.appendLog({
      type,
      entityType: 'Experiment',
      entityId: experiment.$id,
      environment,
      at: now.toISOString(),
      actor: ANALYSIS_ACTOR,
      payload,
      // The experiment itself is unchanged: its state as it is.
      state: record.data,
    });
    return type;
  });
}
