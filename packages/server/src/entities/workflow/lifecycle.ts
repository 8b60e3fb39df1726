import { ConflictError } from '../../errors';
import type { StepRun } from '../../scheduler/step-runs';
import { planRuns, replanPending } from '../../scheduler/step-runs';
import type { RunPlan } from '../../scheduler/step-runs';
import { writeVerb } from '../../verbs/verb';
import type { VerbCall } from '../../verbs/verb';
import { IdInputSchema, applyPatch, changeEvent, loadEntity, saveEntity } from '../common';
import type { Workflow, WorkflowStatus } from './schema';

const TYPE = 'Workflow';

/**
 * The workflow lifecycle the verbs drive: Active ⇄ Paused → Cancelled. The scheduler moves an
 * Active workflow to Completed after its last step, or to Failed when a step fails.
 */
export const WORKFLOW_TRANSITIONS = {
  pause: { from: ['Active'], to: 'Paused' },
  resume: { from: ['Paused'], to: 'Active' },
  cancel: { from: ['Active', 'Paused'], to: 'Cancelled' },
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

/** How a workflow's steps are timed, with its current start and time paused. */
function runPlan(workflow: Workflow, notBeforeMs?: number): RunPlan | undefined {
  if (workflow.trigger.type !== 'schedule') return undefined;
  return {
    cron: workflow.trigger.cron,
    timezone: workflow.trigger.timezone,
    startMs: Date.parse(workflow.startAt ?? workflow.createdAt),
    pausedMs: workflow.pausedMs ?? 0,
    ...(notBeforeMs === undefined ? {} : { notBeforeMs }),
  };
}

const delaysOf = (workflow: Workflow) => workflow.steps.map((step) => step.delay);

/**
 * A workflow whose steps have not run, with its start and, when it runs on a schedule, the due
 * time of every step. A requested start (`startAt`) earlier than now starts it now; without one
 * a new workflow starts now and an edited one keeps its start. No step is due before now.
 */
export function withSchedule(
  workflow: Workflow,
  requestedStart: string | undefined,
  call: VerbCall,
): Workflow {
  const now = call.now.getTime();
  const startMs =
    requestedStart === undefined
      ? Date.parse(workflow.startAt ?? workflow.createdAt)
      : Math.max(Date.parse(requestedStart), now);
  const next: Workflow = { ...workflow, startAt: new Date(startMs).toISOString() };
  const plan = runPlan(next, now);
  if (plan) next.runs = planRuns(plan, delaysOf(next));
  else delete next.runs;
  return next;
}

/** The fields whose change re-plans the steps. */
export function timingChanges(changes: Record<string, unknown>): string[] {
  return ['trigger', 'steps', 'startAt'].filter((f) => changes[f] !== undefined);
}

/**
 * Refuses an update of a workflow that has ended, or one that changes its steps' timing once a
 * step has run.
 */
export function assertEditable(workflow: Workflow, changes: Record<string, unknown>): void {
  if (workflow.status !== 'Active' && workflow.status !== 'Paused') {
    throw new ConflictError(
      `cannot update ${workflow.$id}: it is ${workflow.status}`,
      'illegal_transition',
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

function transitionVerb(
  verb: WorkflowTransition,
  change: (w: Workflow, call: VerbCall) => Workflow,
) {
  return writeVerb({
    input: IdInputSchema,
    async apply(tx, input, call) {
      const workflow = await loadEntity<Workflow>(tx, TYPE, call.environment, input.id);
      const status = nextWorkflowStatus(verb, workflow);
      const next = change(applyPatch(workflow, { status }, call), call);
      await saveEntity(tx, next);
      const nextDueAt = next.runs?.find((run) => run.status === 'pending')?.dueAt ?? null;
      return { result: next, event: changeEvent(next, { status, nextDueAt }) };
    },
  });
}

/**
 * `pause`, `resume` and `cancel`. Pausing stops the workflow's clock: on resume every step that
 * has not run moves later by the time spent paused, then onto the next cron tick not before
 * the resume. So a step that fell due while paused runs at the first tick after the resume
 * (not at once), and the steps after it keep their spacing.
 */
export const workflowLifecycleVerbs = {
  pause: transitionVerb('pause', (w, call) => ({ ...w, pausedAt: call.now.toISOString() })),
  resume: transitionVerb('resume', (w, call) => {
    const now = call.now.getTime();
    const { pausedAt, ...rest } = w;
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
