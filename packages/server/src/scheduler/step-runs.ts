import * as z from 'zod';
import { nextTick } from './cron/next-tick';
import { parseCron } from './cron/parse-cron';
import { addDelay, parseDelay } from './time/delay';
import { timeZone } from './time/time-zone';

/** Where a step stands: waiting, run, failed (the workflow failed with it), or never to run. */
export const StepRunStatusSchema = z.enum(['pending', 'done', 'failed', 'skipped']);
export type StepRunStatus = z.infer<typeof StepRunStatusSchema>;

/** Why a step failed, as the verb's error said it. */
export const StepErrorSchema = z.object({ code: z.string(), message: z.string() });
export type StepError = z.infer<typeof StepErrorSchema>;

/**
 * The run of one step of a workflow that started (a `schedule` one from its creation, a `manual`
 * or `event` one from its trigger), stored with the workflow (`runs[i]` is step i's).
 */
export const StepRunSchema = z.object({
  status: StepRunStatusSchema,
  /**
   * When it runs (ISO): the workflow's start plus the delay, moved onto the first cron tick at or
   * after that when the workflow runs on a schedule.
   */
  dueAt: z.string(),
  /** When it ran or failed (ISO). */
  ranAt: z.string().optional(),
  /** The seq of the domain event its verb wrote. */
  seq: z.number().optional(),
  error: StepErrorSchema.optional(),
});
export type StepRun = z.infer<typeof StepRunSchema>;

/** What decides when the steps of a started workflow run. */
export interface RunPlan {
  /** Steps run on the first tick at or after their time; without one, at their time itself. */
  cron?: string | undefined;
  /** IANA time zone of the cron expression and of day-long delays (default UTC). */
  timezone?: string | undefined;
  /** The workflow's start, in ms. */
  startMs: number;
  /** Time the workflow spent paused so far, in ms: it moves every step later. */
  pausedMs: number;
  /** No step is due earlier than this (ms): `now` when re-planning, so none lands in the past. */
  notBeforeMs?: number;
}

/**
 * When each step runs: start + delay + time paused (and not before `notBeforeMs`), on the first
 * tick of the cron at or after that when there is one. Throws when the cron never fires, which
 * parseCron prevents.
 */
export function stepDueTimes(plan: RunPlan, delays: readonly (string | undefined)[]): string[] {
  const cron = plan.cron === undefined ? undefined : parseCron(plan.cron);
  const zone = timeZone(plan.timezone);
  return delays.map((delay) => {
    const reference = addDelay(plan.startMs, parseDelay(delay), zone) + plan.pausedMs;
    const from = Math.max(reference, plan.notBeforeMs ?? reference);
    if (!cron) return new Date(from).toISOString();
    const tick = nextTick(cron, new Date(from), plan.timezone);
    if (!tick) throw new RangeError(`the cron expression '${plan.cron}' never fires`);
    return tick.toISOString();
  });
}

/** Fresh runs, all pending, for steps with these delays. */
export function planRuns(plan: RunPlan, delays: readonly (string | undefined)[]): StepRun[] {
  return stepDueTimes(plan, delays).map((dueAt) => ({ status: 'pending', dueAt }));
}

/** The runs with every pending one re-planned (done, failed and skipped ones stay). */
export function replanPending(
  runs: readonly StepRun[],
  plan: RunPlan,
  delays: readonly (string | undefined)[],
): StepRun[] {
  const due = stepDueTimes(plan, delays);
  return runs.map((run, i) => (run.status === 'pending' ? { ...run, dueAt: due[i]! } : run));
}

/** The index of the next step to run: the first pending one; undefined when none is left. */
export function nextPendingStep(runs: readonly StepRun[]): number | undefined {
  const i = runs.findIndex((run) => run.status === 'pending');
  return i < 0 ? undefined : i;
}
