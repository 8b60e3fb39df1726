import { ConflictError } from '../../errors';
import { writeVerb } from '../../verbs/verb';
import {
  applyPatch,
  changeEvent,
  changedFields,
  deleteVerb,
  findVerb,
  getVerb,
  loadEntity,
  newEntityBase,
  saveEntity,
} from '../common';
import type { ActionLookup, Workflow, WorkflowStep } from './schema';
import { workflowCreateSchema, workflowUpdateSchema } from './schema';

const TYPE = 'Workflow';

/** The verbs of workflows; `lookup` resolves step actions to verb input schemas. */
export function workflowVerbs(lookup: ActionLookup) {
  return {
    create: writeVerb({
      input: workflowCreateSchema(lookup),
      async apply(tx, input, call) {
        const workflow: Workflow = {
          ...newEntityBase(TYPE, call),
          ...input,
          steps: input.steps as WorkflowStep[],
          status: 'Active',
        };
        await saveEntity(tx, workflow);
        const payload = { $id: workflow.$id, steps: workflow.steps.length };
        return { result: workflow, event: changeEvent(workflow, payload) };
      },
    }),
    update: writeVerb({
      input: workflowUpdateSchema(lookup),
      async apply(tx, input, call) {
        const workflow = await loadEntity<Workflow>(tx, TYPE, call.environment, input.id);
        if (workflow.status === 'Cancelled' || workflow.status === 'Completed') {
          throw new ConflictError(
            `cannot update ${workflow.$id}: it is ${workflow.status}`,
            'illegal_transition',
          );
        }
        const { id: _id, ...changes } = input;
        const next = applyPatch(workflow, changes, call);
        await saveEntity(tx, next);
        return { result: next, event: changeEvent(next, { changes: changedFields(changes) }) };
      },
    }),
    delete: deleteVerb<Workflow>(TYPE),
    get: getVerb<Workflow>(TYPE),
    find: findVerb<Workflow>(TYPE),
  };
}

/** The verbs of workflows, by name. */
export type WorkflowVerbs = ReturnType<typeof workflowVerbs>;
