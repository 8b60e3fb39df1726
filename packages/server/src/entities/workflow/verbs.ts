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
import { noteAwaitedEvent } from './awaiting-events';
import { assertGuardMetrics } from './guard-metrics';
import { assertEditable, timingChanges, withSchedule, workflowLifecycleVerbs } from './lifecycle';
import type { ActionLookup, DomainEventLookup, Workflow, WorkflowStep } from './schema';
import { workflowCreateSchema, workflowUpdateSchema } from './schema';

const TYPE = 'Workflow';

const removal = deleteVerb<Workflow>(TYPE);

/**
 * The verbs of workflows; `lookup` resolves step actions to verb input schemas, `isDomainEvent`
 * checks the event an event trigger waits for.
 */
export function workflowVerbs(lookup: ActionLookup, isDomainEvent: DomainEventLookup) {
  return {
    create: writeVerb({
      input: workflowCreateSchema(lookup, isDomainEvent),
      async apply(tx, input, call) {
        const { startAt, ...fields } = input;
        await assertGuardMetrics(tx, call.environment, fields.steps as WorkflowStep[]);
        // A manual or event workflow waits for its trigger (withSchedule makes it Waiting).
        const workflow = withSchedule(
          {
            ...newEntityBase(TYPE, call),
            ...fields,
            steps: fields.steps as WorkflowStep[],
            status: 'Active',
          },
          startAt ?? call.now.toISOString(),
          call,
        );
        await saveEntity(tx, workflow);
        await noteAwaitedEvent(tx, workflow);
        const payload = { $id: workflow.$id, steps: workflow.steps.length };
        return { result: workflow, event: changeEvent(workflow, payload) };
      },
    }),
    update: updateVerb<ReturnType<typeof workflowUpdateSchema>, Workflow>(
      TYPE,
      workflowUpdateSchema(lookup, isDomainEvent),
      {
        guard: assertEditable,
        async verify(tx, next, changes) {
          if (changes.steps !== undefined)
            await assertGuardMetrics(tx, next.environment, next.steps);
          await noteAwaitedEvent(tx, next);
        },
        revise(next, changes, call) {
          if (timingChanges(changes).length === 0) return next;
          return withSchedule(next, changes.startAt as string | undefined, call);
        },
      },
    ),
    delete: writeVerb({
      input: removal.input,
      async apply(tx, input, call) {
        const change = await removal.apply(tx, input, call);
        await noteAwaitedEvent(tx, change.result, true);
        return change;
      },
    }),
    get: getVerb<Workflow>(TYPE),
    find: findVerb<Workflow>(TYPE),
    ...workflowLifecycleVerbs,
  };
}

/** The verbs of workflows, by name. */
export type WorkflowVerbs = ReturnType<typeof workflowVerbs>;
