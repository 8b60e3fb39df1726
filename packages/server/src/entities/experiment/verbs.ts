import { ConflictError, ValidationError } from '../../errors';
import type { JsonObject } from '../../store/records';
import { writeVerb } from '../../verbs/verb';
import {
  IdInputSchema,
  applyPatch,
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  loadEntity,
  newEntityBase,
  saveEntity,
  updateVerb,
} from '../common';
import type { Experiment } from './schema';
import {
  ExperimentConcludeSchema,
  ExperimentCreateSchema,
  ExperimentUpdateSchema,
  slugify,
} from './schema';
import { nextStatus } from './status-machine';
import type { TransitionVerb } from './status-machine';

const TYPE = 'Experiment';

/** Fields that decide who sees which variant: fixed once the experiment has run. */
const ASSIGNMENT_FIELDS = ['variants', 'trafficAllocation', 'audience', 'layer', 'unit'] as const;

function transition(verb: TransitionVerb, stamp?: 'startedAt' | 'endedAt') {
  return writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      const experiment = await loadEntity<Experiment>(tx, TYPE, call.environment, input.id);
      const status = nextStatus(verb, experiment.status, experiment.$id);
      const next = applyPatch(experiment, { status }, call);
      if (stamp && next[stamp] === undefined) next[stamp] = call.now.toISOString();
      await saveEntity(tx, next);
      return { result: next, event: changeEvent(next, { status }) };
    },
  });
}

/** The verbs of experiments. */
export const experimentVerbs = {
  create: writeVerb({
    input: ExperimentCreateSchema,
    async apply(tx, input, call) {
      const experiment: Experiment = {
        ...newEntityBase(TYPE, call),
        ...input,
        slug: input.slug ?? slugify(input.name),
        status: 'Draft',
      };
      await saveEntity(tx, experiment);
      const payload = { $id: experiment.$id, variants: experiment.variants.length };
      return { result: experiment, event: changeEvent(experiment, payload) };
    },
  }),
  update: updateVerb<typeof ExperimentUpdateSchema, Experiment>(TYPE, ExperimentUpdateSchema, {
    guard(experiment, changes) {
      if (experiment.status === 'Archived') {
        throw new ConflictError(`cannot update ${experiment.$id}: it is Archived`, 'archived');
      }
      const fixed = ASSIGNMENT_FIELDS.filter((f) => changes[f] !== undefined);
      if (fixed.length > 0 && experiment.status !== 'Draft') {
        throw new ConflictError(
          `cannot change ${fixed.join(', ')} of ${experiment.$id}: it is ${experiment.status}, and these change only in Draft`,
          'illegal_transition',
        );
      }
    },
  }),
  delete: deleteVerb<Experiment>(TYPE, (experiment) => {
    if (experiment.status === 'Running' || experiment.status === 'Paused') {
      throw new ConflictError(
        `cannot delete ${experiment.$id}: it is ${experiment.status}; stop or conclude it first`,
        'illegal_transition',
      );
    }
  }),
  get: getVerb<Experiment>(TYPE),
  find: findVerb<Experiment>(TYPE),
  start: transition('start', 'startedAt'),
  pause: transition('pause'),
  resume: transition('resume'),
  stop: transition('stop', 'endedAt'),
  conclude: writeVerb({
    input: ExperimentConcludeSchema,
    async apply(tx, input, call) {
      const experiment = await loadEntity<Experiment>(tx, TYPE, call.environment, input.id);
      const status = nextStatus('conclude', experiment.status, experiment.$id);
      if (!experiment.variants.some((v) => v.key === input.winner)) {
        const keys = experiment.variants.map((v) => v.key).join(', ');
        throw ValidationError.at(['winner'], `winner '${input.winner}' is not a variant (${keys})`);
      }
      const next = applyPatch(
        experiment,
        { status, winner: input.winner, confidence: input.confidence, lift: input.lift },
        call,
      );
      next.endedAt = call.now.toISOString();
      await saveEntity(tx, next);
      const payload: JsonObject = { winner: input.winner, confidence: input.confidence ?? null };
      return { result: next, event: changeEvent(next, payload) };
    },
  }),
  archive: transition('archive'),
};

/** The verbs of experiments, by name. */
export type ExperimentVerbs = typeof experimentVerbs;
