import { chooseWeighted, inLayerRange, inRollout, positionWithPrefix, unitOf } from '../bucketing';
import { experimentOf } from '../config/own-entry';
import type { JsonValue } from '../schema/condition';
import type { ConfigSnapshot } from '../schema/config';
import type { AssignmentReason, EvaluationContext, ExperimentAssignment } from '../types';
import { compileExperiment } from './compile-experiment';
import type { CompiledExperiment } from './compile-experiment';

/** An assignment; `inExperiment` only for `ASSIGNED`, `unit` and `value` only when known. */
function assignment(
  variant: string | null,
  reason: AssignmentReason,
  unit?: string,
  value?: JsonValue,
): ExperimentAssignment {
  const a: ExperimentAssignment = { variant, reason, inExperiment: reason === 'ASSIGNED' };
  if (unit !== undefined) a.unit = unit;
  if (value !== undefined) a.value = value;
  return a;
}

/**
 * Assigns the unit of `context` to a variant of experiment `id`. Only a `Running` experiment
 * assigns (`ASSIGNED`, `inExperiment: true`); a `Concluded` one with a winner serves the winner
 * to everyone (`WINNER`); other statuses give `NOT_RUNNING`. A running experiment checks, in
 * order: the unit (`NO_UNIT`), the audience (`AUDIENCE_MISMATCH`), the layer range
 * (`LAYER_MISMATCH`), the traffic allocation (`TRAFFIC_EXCLUDED`), then picks the weighted
 * variant with `position(salt, 'variant', unit)`. Never throws: an experiment that cannot be
 * read counts as `NOT_FOUND`.
 */
export function assignExperiment(
  snapshot: ConfigSnapshot,
  id: string,
  context: EvaluationContext,
): ExperimentAssignment {
  try {
    const config = experimentOf(snapshot, id);
    if (config) return assignCompiled(snapshot, compileExperiment(config), context);
  } catch {
    // Unreadable: as if absent.
  }
  return assignment(null, 'NOT_FOUND');
}

/** {@link assignExperiment} for an already compiled experiment; may throw on a malformed config. */
export function assignCompiled(
  snapshot: ConfigSnapshot,
  experiment: CompiledExperiment,
  context: EvaluationContext,
): ExperimentAssignment {
  const { config, layerPrefix, trafficPrefix, audience } = experiment;
  const { status, winner, variants } = config;
  if (status !== 'Running') {
    return status === 'Concluded' && winner !== undefined
      ? assignment(winner, 'WINNER', undefined, variants.find((v) => v.key === winner)?.value)
      : assignment(null, 'NOT_RUNNING');
  }
  const unit = unitOf(context, experiment.unitAttribute);
  if (unit === undefined) return assignment(null, 'NO_UNIT');
  const excluded: AssignmentReason | undefined =
    audience && !audience(context, snapshot.segments)
      ? 'AUDIENCE_MISMATCH'
      : layerPrefix && !inLayerRange(positionWithPrefix(layerPrefix, unit), config.layer!)
        ? 'LAYER_MISMATCH'
        : trafficPrefix &&
            !inRollout(positionWithPrefix(trafficPrefix, unit), config.trafficAllocation!)
          ? 'TRAFFIC_EXCLUDED'
          : undefined;
  if (excluded) return assignment(null, excluded, unit);
  const variant =
    variants[
      chooseWeighted(experiment.cumulative, positionWithPrefix(experiment.variantPrefix, unit))
    ]!;
  return assignment(variant.key, 'ASSIGNED', unit, variant.value);
}
