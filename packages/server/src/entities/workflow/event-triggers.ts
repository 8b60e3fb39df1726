import type { LogEntry } from '../../store/records';
import type { StoreWriter } from '../../store/store';
import { writeVerb } from '../../verbs/verb';
import type { WriteVerb } from '../../verbs/verb';
import { IdInputSchema, loadEntity } from '../common';
import { awaitedEvent, awaitedEvents } from './awaiting-events';
import { saveTransition, triggered } from './lifecycle';
import type { Workflow } from './schema';

/** The actor of the `workflow.triggered` event an event trigger writes: `event:<seq>`. */
export function eventTriggerActor(entry: LogEntry): string {
  return `event:${entry.seq}`;
}

/** True when `entry` is the event `workflow` waits for (its own events never count). */
function waitsFor(workflow: Workflow, entry: LogEntry): boolean {
  const { trigger } = workflow;
  if (awaitedEvent(workflow) !== entry.type || entry.entityId === workflow.$id) return false;
  if (trigger.type !== 'event' || trigger.entity === undefined) return true;
  return trigger.entity === entry.entityId || trigger.entity === entry.state?.key;
}

/** One `Workflow.trigger` an event causes: the verb and its input. */
export interface EventTrigger {
  input: { id: string };
  spec: WriteVerb<typeof IdInputSchema, Workflow>;
}

/** `Workflow.trigger` as the event `entry` calls it: only while the workflow waits for it. */
function triggerOn(entry: LogEntry): EventTrigger['spec'] {
  return writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      // Read again: a trigger applied earlier in this transaction may have changed it.
      const workflow = await loadEntity<Workflow>(tx, 'Workflow', entry.environment, input.id);
      if (!waitsFor(workflow, entry)) return { result: workflow };
      const by = { actor: entry.actor, event: entry.type, seq: entry.seq, entity: entry.entityId };
      return saveTransition(tx, triggered(workflow, by, call.now), { triggeredBy: by });
    },
  });
}

/**
 * The `Workflow.trigger` calls that the domain event `entry`, just appended in `tx`, causes:
 * one per workflow of its environment that waits for it. The caller applies each in the same
 * transaction, so a workflow is triggered exactly when its event commits: never twice (it no
 * longer waits after), and never lost to a crash between the two.
 */
export async function eventTriggers(tx: StoreWriter, entry: LogEntry): Promise<EventTrigger[]> {
  const awaited = await awaitedEvents(tx, entry.environment);
  const ids = Object.keys(awaited).filter((id) => awaited[id] === entry.type);
  const waiting: string[] = [];
  for (const id of ids) {
    const record = await tx.getEntity('Workflow', entry.environment, id);
    if (record && waitsFor(record.data as Workflow, entry)) waiting.push(id);
  }
  if (waiting.length === 0) return [];
  const spec = triggerOn(entry);
  return waiting.map((id) => ({ input: { id }, spec }));
}
