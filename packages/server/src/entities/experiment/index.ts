export { experimentVerbs } from './verbs';
export type { ExperimentVerbs } from './verbs';
export {
  ExperimentConcludeSchema,
  ExperimentCreateSchema,
  ExperimentSchema,
  ExperimentUpdateSchema,
  MetricNameSchema,
  SlugSchema,
  VariantKeySchema,
  autoConcludes,
  slugify,
} from './schema';
export type { Experiment } from './schema';
export { TRANSITIONS, nextStatus } from './status-machine';
export type { TransitionVerb } from './status-machine';
