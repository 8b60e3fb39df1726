import type { StoreReader, StoreWriter } from '../../store/store';
import type { Workflow } from './schema';

/** True for a manual or event workflow that was not triggered yet: its steps have no times. */
export function awaitsTrigger(workflow: Workflow): boolean {
  return workflow.trigger.type !== 'schedule' && !workflow.triggeredAt;
}

/** The event `workflow` waits for now, if any: not yet triggered, and not ended. */
export function awaitedEvent(workflow: Workflow): string | undefined {
  const { trigger, status } = workflow;
  if (trigger.type !== 'event' || !awaitsTrigger(workflow)) return undefined;
  return status === 'Waiting' || status === 'Paused' ? trigger.event : undefined;
}

/**
 * The workflows of an environment that wait for an event, by id, with the event's type: kept in
 * the store's meta table by every transaction that saves or deletes a workflow, so a write
 * learns with one lookup by key whether its event triggers anything, instead of reading every
 * workflow of the environment.
 */
type AwaitedEvents = Record<string, string>;

const keyOf = (environment: string) => `workflow.awaited_events:${environment}`;

/** The workflows of `environment` that wait for an event, by id, with the event's type. */
export async function awaitedEvents(
  reader: StoreReader,
  environment: string,
): Promise<AwaitedEvents> {
  const text = await reader.getMeta(keyOf(environment));
  return text === null ? {} : (JSON.parse(text) as AwaitedEvents);
}

/**
 * Records in `tx` whether `workflow` waits for an event (after a save), or that it is gone
 * (`deleted`). Every transaction that changes a workflow's trigger, status or existence calls it.
 */
export async function noteAwaitedEvent(
  tx: StoreWriter,
  workflow: Workflow,
  deleted = false,
): Promise<void> {
  const awaited = await awaitedEvents(tx, workflow.environment);
  const event = deleted ? undefined : awaitedEvent(workflow);
  if (awaited[workflow.$id] === event) return;
  if (event === undefined) delete awaited[workflow.$id];
  else awaited[workflow.$id] = event;
  await tx.setMeta(keyOf(workflow.environment), JSON.stringify(awaited));
}
