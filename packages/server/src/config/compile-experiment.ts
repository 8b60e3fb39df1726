import type { ExperimentConfig } from '@switchyard/core/schema';
import type { Experiment } from '../entities/experiment/schema';

/** An experiment as SDKs assign it. Pure; the salt is the experiment's id, fixed for ever. */
export function compileExperiment(experiment: Experiment): ExperimentConfig {
  const optional = {
    trafficAllocation: experiment.trafficAllocation,
    audience: experiment.audience,
    layer: experiment.layer,
    unit: experiment.unit,
    winner: experiment.winner,
  };
  return {
    id: experiment.$id,
    salt: experiment.$id,
    status: experiment.status,
    variants: experiment.variants.map((v) => ({
      key: v.key,
      weight: v.weight,
      ...(v.name === undefined ? {} : { name: v.name }),
      ...(v.value === undefined ? {} : { value: v.value }),
    })),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}
