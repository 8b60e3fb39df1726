import { changeEvent, saveEntity } from '../entities/common';
import type { GuardTrip, Workflow } from '../entities/workflow/schema';
import { SwitchyardError } from '../errors';
import type { AppliedWrite, PreparedWrite, Switchyard } from '../service/switchyard';
import type { JsonObject, LogEntry } from '../store/records';
import type { StoreWriter } from '../store/store';
import type { StepTarget } from './scheduled-steps';
import type { StepError, StepRun } from './step-runs';
import { nextPendingStep } from './step-runs';

/** The actor of the workflow events the scheduler writes. */
export const SCHEDULER_ACTOR = 'scheduler';

/** How running one step went. */
export type StepOutcome =
  /** The verb ran and the step is done, in one transaction; `seq` is the verb's domain event. */
  | { kind: 'done'; seq: number | null; completed: boolean }
  /** The verb refused (a 4xx: the flag is gone, a hook said no): the workflow Failed. */
  | { kind: 'failed'; error: StepError }
  /** The step is no longer this one's to run: done elsewhere, paused, cancelled, re-planned. */
  | { kind: 'skipped' }
  /** Something outside the step failed (the database): it stays pending, to retry. */
  | { kind: 'retry'; error: unknown }
  /** The step's guard tripped: its flag was rolled back and the workflow is RolledBack. */
  | { kind: 'rolledback'; trip: GuardTrip };

/** The actor a step's verb runs as: `workflow:workflow_xN4yKpTm`. */
export function workflowActor(workflowId: string): string {
  return `workflow:${workflowId}`;
}

/**
 * Reads the workflow inside the transaction and answers it when `target` is still the step to
 * run at `now`. Write transactions are serialized (SQLite's single writer; an advisory lock on
 * PostgreSQL), so the instance that reads it pending here is the only one that runs it.
 */
async function claim(tx: StoreWriter, target: StepTarget, now: Date): Promise<Workflow | null> {
  const record = await tx.getEntity('Workflow', target.environment, target.workflowId);
  const workflow = record?.data as Workflow | undefined;
  if (!workflow || workflow.status !== 'Active' || !workflow.runs) return null;
  if (nextPendingStep(workflow.runs) !== target.step) return null;
  if (Date.parse(workflow.runs[target.step]!.dueAt) > now.getTime()) return null;
  return workflow;
}

/** Saves the workflow and appends its own events (as the scheduler) in `tx`. */
export async function saveWithEvents(
  tx: StoreWriter,
  workflow: Workflow,
  events: [type: string, payload: JsonObject][],
  now: Date,
): Promise<void> {
  await saveEntity(tx, workflow);
  for (const [type, payload] of events) {
    await tx.appendLog({
      type,
      ...changeEvent(workflow, payload),
      environment: workflow.environment,
      at: now.toISOString(),
      actor: SCHEDULER_ACTOR,
    });
  }
}

/** The step's verb arguments: the step without its scheduling fields. */
function stepInput(workflow: Workflow, step: number): { action: string; input: JsonObject } {
  const { action, delay: _delay, guard: _guard, ...input } = workflow.steps[step]!;
  return { action, input };
}

async function recordDone(
  tx: StoreWriter,
  workflow: Workflow,
  step: number,
  entry: LogEntry | undefined,
  now: Date,
): Promise<boolean> {
  const runs: StepRun[] = [...workflow.runs!];
  const run = runs[step]!;
  const seq = entry?.seq ?? null;
  runs[step] = {
    ...run,
    status: 'done',
    ranAt: now.toISOString(),
    ...(entry ? { seq: entry.seq } : {}),
  };
  const completed = nextPendingStep(runs) === undefined;
  const next: Workflow = {
    ...workflow,
    runs,
    status: completed ? 'Completed' : workflow.status,
    updatedAt: now.toISOString(),
  };
  const { action, input } = stepInput(workflow, step);
  const events: [string, JsonObject][] = [
    ['workflow.step_completed', { step, action, input, dueAt: run.dueAt, seq }],
  ];
  if (completed) events.push(['workflow.completed', { status: 'Completed', steps: runs.length }]);
  await saveWithEvents(tx, next, events, now);
  return completed;
}

/** Marks the workflow Failed at `target` with the verb's error, unless the step moved on. */
export async function recordFailure(
  sy: Switchyard,
  target: StepTarget,
  error: StepError,
): Promise<StepOutcome> {
  return sy.store.transaction(async (tx) => {
    const now = sy.clock.now();
    const workflow = await claim(tx, target, now);
    if (!workflow) return { kind: 'skipped' };
    const at = now.toISOString();
    const runs = workflow.runs!.map((run, i): StepRun => {
      if (i === target.step) return { ...run, status: 'failed', ranAt: at, error };
      return run.status === 'pending' ? { ...run, status: 'skipped' } : run;
    });
    const next: Workflow = {
      ...workflow,
      runs,
      status: 'Failed',
      error: { step: target.step, ...error },
      updatedAt: at,
    };
    const { action } = stepInput(workflow, target.step);
    await saveWithEvents(
      tx,
      next,
      [['workflow.failed', { step: target.step, action, error }]],
      now,
    );
    return { kind: 'failed', error };
  });
}

/**
 * Runs one due step exactly once: its verb (as `workflow:<id>`) and the step's completion commit
 * in one transaction, which first checks that the step is still pending and due. Before-hooks
 * run ahead of that transaction, as for any verb; after-hooks run once it committed.
 */
export async function runStep(
  sy: Switchyard,
  target: StepTarget,
  workflow: Workflow,
): Promise<StepOutcome> {
  const { action, input } = stepInput(workflow, target.step);
  const [facade = '', verb = ''] = action.split('.');
  let write: PreparedWrite;
  let done: { applied: AppliedWrite; completed: boolean } | null;
  try {
    write = await sy.prepareWrite(
      facade,
      verb,
      input,
      target.environment,
      workflowActor(target.workflowId),
    );
    done = await sy.store.transaction(async (tx) => {
      const now = sy.clock.now();
      const current = await claim(tx, target, now);
      if (!current) return null;
      const applied = await sy.applyWrite(tx, write);
      const completed = await recordDone(tx, current, target.step, applied.entry, now);
      return { applied, completed };
    });
  } catch (error) {
    if (!(error instanceof SwitchyardError)) return { kind: 'retry', error };
    return recordFailure(sy, target, { code: error.code, message: error.message });
  }
  if (!done) return { kind: 'skipped' };
  await sy.afterWrite(write, done.applied);
  return { kind: 'done', seq: done.applied.entry?.seq ?? null, completed: done.completed };
}
