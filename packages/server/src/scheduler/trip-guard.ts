import { checkGuard } from '../analysis/guard-check';
import type { GuardVerdict } from '../analysis/guard-check';
import { guardedSteps } from '../analysis/guarded-flags';
import { SwitchyardError } from '../errors';
import type { GuardTrip, Workflow } from '../entities/workflow/schema';
import type { Switchyard } from '../service/switchyard';
import { recordFailure, saveWithEvents, workflowActor } from './run-step';
import type { StepOutcome } from './run-step';
import type { StepTarget } from './scheduled-steps';
import type { StepRun } from './step-runs';
import { nextPendingStep } from './step-runs';

/** Statuses in which a guard still protects the rollout in effect. */
const GUARDED_STATUSES: ReadonlySet<string> = new Set(['Active', 'Paused']);

/** What a tripped guard did: the trip as stored on the workflow, and the rollback's log seq. */
export interface GuardTripped {
  trip: GuardTrip;
  seq: number | null;
}

/**
 * Acts on a tripped guard, once: `FeatureFlag.rollback` of the guarded flag (as
 * `workflow:<id>`, so its hooks and webhooks fire like any verb's) and the workflow's move to
 * RolledBack, with its remaining steps skipped and `workflow.rolledback` logged, in one
 * transaction. That transaction first checks that `target` is still the workflow's next step
 * and that the workflow is Active or Paused (and, with `due`, that the step is due), so two
 * instances or two checks never roll back twice. Null when the workflow moved on. A verb that
 * refuses (the flag was archived) throws its SwitchyardError.
 */
export async function tripGuard(
  sy: Switchyard,
  target: StepTarget,
  verdict: GuardVerdict,
  options: { due?: boolean } = {},
): Promise<GuardTripped | null> {
  const drop = verdict.relativeLift === null ? '?' : `${(-verdict.relativeLift * 100).toFixed(1)}%`;
  const reason = `guard of step ${target.step}: ${verdict.metric} dropped ${drop} for units with ${verdict.flag.key} at ${verdict.percent}% (p = ${verdict.pValue?.toPrecision(3)}, maxDrop ${verdict.maxDrop * 100}%)`;
  const write = await sy.prepareWrite(
    'FeatureFlag',
    'rollback',
    { id: verdict.flag.$id, reason },
    target.environment,
    workflowActor(target.workflowId),
  );
  const done = await sy.store.transaction(async (tx) => {
    const now = sy.clock.now();
    const record = await tx.getEntity('Workflow', target.environment, target.workflowId);
    const workflow = record?.data as Workflow | undefined;
    if (!workflow?.runs || !GUARDED_STATUSES.has(workflow.status)) return null;
    if (nextPendingStep(workflow.runs) !== target.step) return null;
    if (options.due && Date.parse(workflow.runs[target.step]!.dueAt) > now.getTime()) return null;
    const applied = await sy.applyWrite(tx, write);
    const at = now.toISOString();
    const trip: GuardTrip = {
      step: target.step,
      flag: verdict.flag.$id,
      metric: verdict.metric,
      percent: verdict.percent,
      relativeLift: verdict.relativeLift,
      pValue: verdict.pValue,
      maxDrop: verdict.maxDrop,
      at,
    };
    const runs = workflow.runs.map((run): StepRun =>
      run.status === 'pending' ? { ...run, status: 'skipped' } : run,
    );
    const { pausedAt: _pausedAt, ...rest } = workflow;
    const next: Workflow = {
      ...rest,
      runs,
      status: 'RolledBack',
      error: { step: target.step, code: 'guard_tripped', message: reason },
      guardTrip: trip,
      updatedAt: at,
    };
    await saveWithEvents(
      tx,
      next,
      [['workflow.rolledback', { ...trip, status: 'RolledBack' }]],
      now,
    );
    return { applied, trip };
  });
  if (!done) return null;
  await sy.afterWrite(write, done.applied);
  return { trip: done.trip, seq: done.applied.entry?.seq ?? null };
}

/**
 * Checks the guard of a due step, if it has one, before the step runs: when it trips, the flag
 * is rolled back and the workflow stops (`rolledback`); when the rollback itself is refused, the
 * workflow Fails at the step. Null when the step may run.
 */
export async function guardBeforeStep(
  sy: Switchyard,
  target: StepTarget,
  workflow: Workflow,
): Promise<StepOutcome | null> {
  const guarded = guardedSteps(workflow).find((g) => g.index === target.step);
  if (!guarded) return null;
  try {
    const verdict = await sy.store.read((r) => checkGuard(r, target.environment, guarded));
    if (!verdict?.tripped) return null;
    const tripped = await tripGuard(sy, target, verdict, { due: true });
    return tripped ? { kind: 'rolledback', trip: tripped.trip } : { kind: 'skipped' };
  } catch (error) {
    if (!(error instanceof SwitchyardError)) return { kind: 'retry', error };
    return recordFailure(sy, target, { code: error.code, message: error.message });
  }
}
