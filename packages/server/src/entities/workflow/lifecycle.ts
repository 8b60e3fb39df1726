import { ConflictError, ValidationError } from '../../errors';
import type { StepRun } from '../../scheduler/step-runs';
import { planRuns, replanPending } from '../../scheduler/step-runs';
import type { RunPlan } from '../../scheduler/step-runs';
import type { JsonObject } from '../../store/records';
import type { StoreWriter } from '../../store/store';
import { writeVerb } from '../../verbs/verb';
import type { Change, VerbCall } from '../../verbs/verb';
import { IdInputSchema, applyPatch, changeEvent, loadEntity, saveEntity } from '../common';
import { awaitsTrigger, noteAwaitedEvent } from './awaiting-events';
import type { TriggeredBy, Workflow, WorkflowStatus } from './schema';
import { LIVE_WORKFLOW_STATUSES, START_ON_TRIGGER, startsOnSchedule } from './schema';

const TYPE = 'Workflow';

/**
 * The workflow lifecycle the verbs drive: Waiting → Active (trigger), Waiting or Active ⇄ Paused
 * → Cancelled (resume goes back to Waiting when the workflow was not triggered yet). The
 * scheduler moves an Active workflow to Completed after its last step, or to Failed when a step
 * fails.
 */
export const WORKFLOW_TRANSITIONS = {
  trigger: { from: ['Waiting'], to: 'Active' },
  pause: { from: ['Waiting', 'Active'], to: 'Paused' },
  resume: { from: ['Paused'], to: 'Active' },
  cancel: { from: LIVE_WORKFLOW_STATUSES, to: 'Cancelled' },
} as const satisfies Record<string, { from: readonly WorkflowStatus[]; to: WorkflowStatus }>;

/** A verb that moves a workflow along its lifecycle. */
export type WorkflowTransition = keyof typeof WORKFLOW_TRANSITIONS;

/** The status `verb` leads to; a 409 naming the current status when it cannot. */
export function nextWorkflowStatus(verb: WorkflowTransition, workflow: Workflow): WorkflowStatus {
  const { from, to } = WORKFLOW_TRANSITIONS[verb];
  if (!(from as readonly WorkflowStatus[]).includes(workflow.status)) {
    throw new ConflictError(
      `cannot ${verb} ${workflow.$id}: it is ${workflow.status}, and ${verb} needs ${from.join(' or ')}`,
      'illegal_transition',
    );
  }
  return to;
}

/**
 * How a workflow's steps are timed, with its current start and time paused: on the ticks of its
 * cron from `startAt` on a schedule; from its trigger time, without ticks, otherwise. None while
 * it awaits its trigger.
 */
function runPlan(workflow: Workflow, notBeforeMs?: number): RunPlan | undefined {
  if (awaitsTrigger(workflow)) return undefined;
  const { trigger } = workflow;
  const start = trigger.type === 'schedule' ? workflow.startAt : workflow.triggeredAt;
  return {
    ...(trigger.type === 'schedule' ? { cron: trigger.cron, timezone: trigger.timezone } : {}),
    startMs: Date.parse(start ?? workflow.createdAt),
    pausedMs: workflow.pausedMs ?? 0,
    ...(notBeforeMs === undefined ? {} : { notBeforeMs }),
  };
}

const delaysOf = (workflow: Workflow) => workflow.steps.map((step) => step.delay);

/** The runs of a workflow that has a plan, every step pending. */
function withRuns(workflow: Workflow, nowMs: number): Workflow {
  const plan = runPlan(workflow, nowMs);
  const next = { ...workflow };
  if (plan) next.runs = planRuns(plan, delaysOf(next));
  else delete next.runs;
  return next;
}

/**
 * The workflow triggered now by `by`: its steps' delays count from now, with no cron, so a step
 * with no delay is due at once. A Paused workflow (an event may trigger one) stays Paused with
 * its clock stopped from the trigger on: its steps move later by the time until it resumes.
 */
export function triggered(workflow: Workflow, by: TriggeredBy, now: Date): Workflow {
  const at = now.toISOString();
  const { pausedMs: _pausedMs, ...rest } = workflow;
  const next: Workflow = {
    ...rest,
    status: workflow.status === 'Paused' ? 'Paused' : 'Active',
    triggeredAt: at,
    triggeredBy: by,
    startAt: at,
    updatedAt: at,
    ...(workflow.status === 'Paused' ? { pausedAt: at } : {}),
  };
  return withRuns(next, now.getTime());
}

/**
 * A workflow whose steps have not run, with its start and the due time of every step once it
 * started. On a schedule: a requested start (`startAt`) earlier than now starts it now; without
 * one a new workflow starts now and an edited one keeps its start. A manual or event workflow
 * waits for its trigger (Waiting, no runs), or counts from its trigger time once triggered. No
 * step is due before now.
 */
export function withSchedule(
  workflow: Workflow,
  requestedStart: string | undefined,
  call: VerbCall,
): Workflow {
  const now = call.now.getTime();
  const next: Workflow = { ...workflow };
  if (workflow.trigger.type === 'schedule') {
    // One that waited for a trigger until this edit (triggeredAt null) starts now.
    const waited = workflow.triggeredAt === null;
    const kept = workflow.startAt ?? (waited ? call.now.toISOString() : workflow.createdAt);
    const startMs =
      requestedStart === undefined ? Date.parse(kept) : Math.max(Date.parse(requestedStart), now);
    next.startAt = new Date(startMs).toISOString();
    delete next.triggeredAt;
    delete next.triggeredBy;
    if (next.status === 'Waiting') next.status = 'Active';
  } else if (!workflow.triggeredAt) {
    delete next.startAt;
    delete next.pausedMs;
    next.triggeredAt = null;
    if (next.status === 'Active') next.status = 'Waiting';
  }
  return withRuns(next, now);
}

/** The fields whose change re-plans the steps. */
export function timingChanges(changes: Record<string, unknown>): string[] {
  return ['trigger', 'steps', 'startAt'].filter((f) => changes[f] !== undefined);
}

/**
 * Refuses an update of a workflow that has ended, one that changes its trigger once triggered,
 * one that changes its steps' timing once a step has run, and a `startAt` for a workflow that
 * starts with its trigger.
 */
export function assertEditable(workflow: Workflow, changes: Record<string, unknown>): void {
  if (!(LIVE_WORKFLOW_STATUSES as readonly string[]).includes(workflow.status)) {
    throw new ConflictError(
      `cannot update ${workflow.$id}: it is ${workflow.status}`,
      'illegal_transition',
    );
  }
  const trigger = (changes.trigger ?? workflow.trigger) as Workflow['trigger'];
  if (!startsOnSchedule({ trigger, startAt: changes.startAt })) {
    throw ValidationError.at(START_ON_TRIGGER.path, START_ON_TRIGGER.message);
  }
  if (changes.trigger !== undefined && workflow.triggeredAt) {
    throw new ConflictError(
      `cannot change the trigger of ${workflow.$id}: it was triggered at ${workflow.triggeredAt}; cancel it and create a new workflow`,
      'workflow_started',
    );
  }
  const timing = timingChanges(changes);
  const ran = (workflow.runs ?? []).findIndex((run) => run.status !== 'pending');
  if (timing.length > 0 && ran >= 0) {
    throw new ConflictError(
      `cannot change ${timing.join(', ')} of ${workflow.$id}: step ${ran} has run; cancel it and create a new workflow`,
      'workflow_started',
    );
  }
}

/** Pending runs become skipped: the workflow ended before they came due. */
export function skipPending(runs: StepRun[] | undefined): StepRun[] | undefined {
  return runs?.map((run) => (run.status === 'pending' ? { ...run, status: 'skipped' } : run));
}

/** Saves a workflow a lifecycle verb moved, with its event `{ status, nextDueAt, …extra }`. */
export async function saveTransition(
  tx: StoreWriter,
  next: Workflow,
  extra: JsonObject = {},
): Promise<Change<Workflow>> {
  await saveEntity(tx, next);
  await noteAwaitedEvent(tx, next);
  const nextDueAt = next.runs?.find((run) => run.status === 'pending')?.dueAt ?? null;
  return {
    result: next,
    event: changeEvent(next, { status: next.status, nextDueAt, ...extra }),
  };
}

function transitionVerb(
  verb: WorkflowTransition,
  change: (w: Workflow, call: VerbCall) => Workflow,
) {
  return writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      const workflow = await loadEntity<Workflow>(tx, TYPE, call.environment, input.id);
      const status = nextWorkflowStatus(verb, workflow);
      return saveTransition(tx, change(applyPatch(workflow, { status }, call), call));
    },
  });
}

/**
 * `trigger`, `pause`, `resume` and `cancel`. Triggering a Waiting manual or event workflow
 * starts its steps' clock (see `triggered`); an event workflow is triggered by its event too,
 * in the transaction that commits the event (`eventTriggers`). Pausing stops the workflow's
 * clock: on resume every step that has not run moves later by the time spent paused, then onto
 * the next cron tick not before the resume. So a step that fell due while paused runs at the
 * first tick after the resume (not at once), and the steps after it keep their spacing. A
 * workflow paused before its trigger resumes to Waiting.
 */
export const workflowLifecycleVerbs = {
  trigger: writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      const workflow = await loadEntity<Workflow>(tx, TYPE, call.environment, input.id);
      nextWorkflowStatus('trigger', workflow);
      const by = { actor: call.actor };
      return saveTransition(tx, triggered(workflow, by, call.now), { triggeredBy: by });
    },
  }),
  pause: transitionVerb('pause', (w, call) => ({ ...w, pausedAt: call.now.toISOString() })),
  resume: transitionVerb('resume', (w, call) => {
    const now = call.now.getTime();
    const { pausedAt, ...rest } = w;
    if (awaitsTrigger(w)) return { ...rest, status: 'Waiting' };
    const paused = pausedAt === undefined ? 0 : Math.max(0, now - Date.parse(pausedAt));
    const next: Workflow = { ...rest, pausedMs: (w.pausedMs ?? 0) + paused };
    const plan = runPlan(next, now);
    if (plan && next.runs) next.runs = replanPending(next.runs, plan, delaysOf(next));
    return next;
  }),
  cancel: transitionVerb('cancel', (w) => {
    const runs = skipPending(w.runs);
    return runs ? { ...w, runs } : w;
  }),
};
