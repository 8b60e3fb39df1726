import { chooseWeighted, inLayerRange, inRollout, positionWithPrefix, unitOf } from '../bucketing';
import { experimentOf } from '../config/own-entry';
import type { ConfigSnapshot } from '../schema/config';
import type { AssignmentReason, EvaluationContext, ExperimentAssignment } from '../types';
import { compileExperiment } from './compile-experiment';
import type { CompiledExperiment } from './compile-experiment';

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
    if (config === undefined) return unassigned('NOT_FOUND');
    return assignCompiled(snapshot, compileExperiment(config), context);
  } catch {
    return unassigned('NOT_FOUND');
  }
}

/** {@link assignExperiment} for an already compiled experiment; may throw on a malformed config. */
export function assignCompiled(
  snapshot: ConfigSnapshot,
  experiment: CompiledExperiment,
  context: EvaluationContext,
): ExperimentAssignment {
  const config = experiment.config;
  if (config.status !== 'Running') {
    if (config.status === 'Concluded' && config.winner !== undefined) {
      const winner = experiment.variants.find((v) => v.key === config.winner);
      return withValue(
        { variant: config.winner, reason: 'WINNER', inExperiment: false },
        winner?.value,
      );
    }
    return unassigned('NOT_RUNNING');
  }
  const unit = unitOf(context, experiment.unitAttribute);
  if (unit === undefined) return unassigned('NO_UNIT');
  if (experiment.audience !== undefined && !experiment.audience(context, snapshot.segments)) {
    return unassigned('AUDIENCE_MISMATCH', unit);
  }
  if (
    experiment.layerPrefix !== undefined &&
    !inLayerRange(positionWithPrefix(experiment.layerPrefix, unit), config.layer!)
  ) {
    return unassigned('LAYER_MISMATCH', unit);
  }
  if (
    experiment.trafficPrefix !== undefined &&
    !inRollout(positionWithPrefix(experiment.trafficPrefix, unit), experiment.trafficAllocation)
  ) {
    return unassigned('TRAFFIC_EXCLUDED', unit);
  }
  const index = chooseWeighted(
    experiment.cumulative,
    positionWithPrefix(experiment.variantPrefix, unit),
  );
  const variant = experiment.variants[index]!;
  return withValue(
    { variant: variant.key, reason: 'ASSIGNED', inExperiment: true, unit },
    variant.value,
  );
}

function unassigned(reason: AssignmentReason, unit?: string): ExperimentAssignment {
  return unit === undefined
    ? { variant: null, reason, inExperiment: false }
    : { variant: null, reason, inExperiment: false, unit };
}

function withValue(
  assignment: ExperimentAssignment,
  value: ExperimentAssignment['value'],
): ExperimentAssignment {
  if (value !== undefined) assignment.value = value;
  return assignment;
}
