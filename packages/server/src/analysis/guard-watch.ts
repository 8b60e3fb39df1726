import type { Workflow } from '../entities/workflow/schema';
import { SwitchyardError } from '../errors';
import type { GuardTripped } from '../scheduler/trip-guard';
import { tripGuard } from '../scheduler/trip-guard';
import { nextPendingStep } from '../scheduler/step-runs';
import type { Switchyard } from '../service/switchyard';
import { checkGuard } from './guard-check';
import { guardedSteps } from './guarded-flags';

/** Statuses whose next step's guard watches the rollout in effect. */
const WATCHING: ReadonlySet<string> = new Set(['Active', 'Paused']);

/**
 * Checks, between steps, the guard of each Active or Paused workflow's next step against the
 * rollout in effect (the stage its earlier steps, or a person, set), and trips those that see
 * a significant drop (see `tripGuard`): a guard on a step watches the flag from when the step
 * before it ran until it runs itself, when the scheduler checks it one last time. With `flagId`,
 * only the workflows guarding that flag. Answers the guards that tripped. A rollback the flag
 * refuses (it was archived) is logged and left for the scheduler, which fails the workflow at
 * the step.
 */
export async function watchGuards(
  sy: Switchyard,
  environment: string,
  flagId?: string,
): Promise<GuardTripped[]> {
  const workflows = await sy.store.read(async (r) =>
    (await r.listEntities('Workflow', environment)).map((x) => x.data as Workflow),
  );
  const tripped: GuardTripped[] = [];
  for (const workflow of workflows) {
    if (!WATCHING.has(workflow.status) || !workflow.runs) continue;
    const step = nextPendingStep(workflow.runs);
    const guarded = guardedSteps(workflow).find((g) => g.index === step);
    if (step === undefined || !guarded) continue;
    const verdict = await sy.store.read((r) => checkGuard(r, environment, guarded));
    if (!verdict?.tripped || (flagId !== undefined && verdict.flag.$id !== flagId)) continue;
    const target = { environment, workflowId: workflow.$id, step };
    try {
      const done = await tripGuard(sy, target, verdict);
      if (done) tripped.push(done);
    } catch (error) {
      if (!(error instanceof SwitchyardError)) throw error;
      sy.logger.warn(
        { ...target, err: error.message },
        'guard tripped but the flag refused the rollback',
      );
    }
  }
  return tripped;
}
