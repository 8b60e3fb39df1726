import { ConflictError } from '../../errors';
import { writeVerb } from '../../verbs/verb';
import {
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  newEntityBase,
  saveEntity,
  updateVerb,
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
    update: updateVerb<ReturnType<typeof workflowUpdateSchema>, Workflow>(
      TYPE,
      workflowUpdateSchema(lookup),
      {
        guard(workflow) {
          if (workflow.status === 'Cancelled' || workflow.status === 'Completed') {
            throw new ConflictError(
              `cannot update ${workflow.$id}: it is ${workflow.status}`,
              'illegal_transition',
            );
          }
        },
      },
    ),
    delete: deleteVerb<Workflow>(TYPE),
    get: getVerb<Workflow>(TYPE),
    find: findVerb<Workflow>(TYPE),
  };
}

/** The verbs of workflows, by name. */
export type WorkflowVerbs = ReturnType<typeof workflowVerbs>;
