/**
 * The workflow scheduler. A started workflow stores, per step, when it is due: with a `schedule`
 * trigger, the first tick of its cron (in `trigger.timezone`, default UTC) at or after its start
 * plus the step's delay (days and weeks on the wall clock of that zone); with a `manual` or
 * `event` trigger, its trigger time plus the delay, no tick. Such a workflow is Waiting, with no
 * step times, until `Workflow.trigger` or its event (see `eventTriggers`). The scheduler runs
 * each due step exactly once: its verb, as `workflow:<id>`, commits in one transaction with the
 * step's completion (`workflow.step_completed`, then `workflow.completed` after the last), so
 * neither a restart nor a second instance on the same database can run it again. A step whose verb
 * refuses (the flag is gone, a before-hook says no) fails the workflow (`workflow.failed`);
 * one that fails for another reason (the database) stays pending and is retried with backoff.
 * Pausing stops the workflow's clock; see `workflowLifecycleVerbs` for what resume does.
 * A step with a `guard` has it checked right before it runs (`guardBeforeStep`): a tripped
 * guard rolls the flag back and the workflow to RolledBack instead (`tripGuard`); between steps
 * the analysis monitor checks it too (`watchGuards` in src/analysis).
 */
export { Scheduler } from './scheduler';
export type { SchedulerOptions, StepReport } from './scheduler';
export type { StepOutcome } from './run-step';
export { SCHEDULER_ACTOR, workflowActor } from './run-step';
export { guardBeforeStep, tripGuard } from './trip-guard';
export type { GuardTripped } from './trip-guard';
export type { StepTarget } from './scheduled-steps';
export { parseCron } from './cron/parse-cron';
export { CronSyntaxError } from './cron/cron-expression';
export type { CronExpression, CronField } from './cron/cron-expression';
export { nextTick, isTick } from './cron/next-tick';
export { isTimeZone } from './time/time-zone';
export { StepRunSchema } from './step-runs';
export type { StepError, StepRun, StepRunStatus } from './step-runs';
