import type { Switchyard } from '../service/switchyard';
import { Mutex } from '../store/mutex';
import type { StepOutcome } from './run-step';
import { SCHEDULER_ACTOR, runStep } from './run-step';
import { guardBeforeStep } from './trip-guard';
import type { ScheduledStep, StepTarget } from './scheduled-steps';
import { scheduledSteps, stepKey } from './scheduled-steps';

/** How the scheduler wakes and retries. */
export interface SchedulerOptions {
  /**
   * The longest it sleeps between looks at the store (default 60 s): the bound on noticing a
   * jump of the clock or a workflow another instance created.
   */
  maxSleepMs?: number;
  /** The first wait before a step that failed outside its verb is tried again (default 1 s). */
  retryBaseMs?: number;
  /** false: no timer at all; the steps run only when `runDue` is called (default true). */
  timer?: boolean;
  /** Hears each step it tried (for metrics). */
  onStep?: (outcome: StepOutcome['kind']) => void;
}

/** One step the scheduler tried, and how that went. */
export interface StepReport extends StepTarget {
  outcome: StepOutcome;
}

interface Backoff {
  attempts: number;
  retryAtMs: number;
}

/**
 * Runs the steps of scheduled workflows when they fall due, exactly once across restarts and
 * across server instances on one database. It sleeps on a single timer until the next due step
 * (at most `maxSleepMs`), wakes when a workflow changes in this process, and runs the steps that
 * fell due while the server was down as soon as it starts.
 */
export class Scheduler {
  private readonly mutex = new Mutex();
  private readonly maxSleepMs: number;
  private readonly retryBaseMs: number;
  private readonly useTimer: boolean;
  private readonly onStep: (outcome: StepOutcome['kind']) => void;
  private readonly backoff = new Map<string, Backoff>();
  private timer: NodeJS.Timeout | undefined;
  private wakeQueued = false;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  private nextWake: Date | null = null;

  constructor(
    private readonly sy: Switchyard,
    options: SchedulerOptions = {},
  ) {
    this.maxSleepMs = options.maxSleepMs ?? 60_000;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.useTimer = options.timer ?? true;
    this.onStep = options.onStep ?? (() => undefined);
  }

  /** Runs what is due now, then keeps waking as steps fall due; workflow changes wake it. */
  start(): void {
    if (this.closed || this.unsubscribe) return;
    this.unsubscribe = this.sy.store.onCommit((entries) => {
      if (entries.some((e) => e.entityType === 'Workflow' && e.actor !== SCHEDULER_ACTOR)) {
        this.wake();
      }
    });
    this.wake();
  }

  /** When the next step falls due, as of the last pass (null: none is waiting). */
  get nextDueAt(): Date | null {
    return this.nextWake;
  }

  /**
   * Runs every step that is due at the clock's current time, in order, after any pass already
   * under way; answers what it tried. Tests with a manual clock call it after moving the clock.
   */
  runDue(): Promise<StepReport[]> {
    return this.mutex.run(() => this.pass());
  }

  /** Resolves once the passes started or queued so far have finished. */
  idle(): Promise<void> {
    return this.mutex.run(async () => undefined);
  }

  /** Stops waking; a step that is running finishes first (the rest of its pass does not run). */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.idle();
  }

  private wake(): void {
    if (this.closed || this.wakeQueued) return;
    this.wakeQueued = true;
    this.mutex
      .run(() => {
        this.wakeQueued = false;
        return this.pass();
      })
      .catch((error: unknown) =>
        this.sy.logger.error({ err: describe(error) }, 'scheduler pass failed'),
      );
  }

  private async pass(): Promise<StepReport[]> {
    const reports: StepReport[] = [];
    try {
      let ranOne = true;
      // Each round runs the next step of every workflow that has one due; a workflow whose steps
      // all fell due (the server was down) runs them one per round, in order.
      while (ranOne && !this.closed) {
        ranOne = false;
        const nowMs = this.sy.clock.now().getTime();
        const due = (await this.scan()).filter((s) => this.runnableAt(s) <= nowMs);
        for (const scheduled of due) {
          if (this.closed) break;
          const report = await this.run(scheduled);
          reports.push(report);
          if (report.outcome.kind === 'done') ranOne = true;
        }
      }
    } finally {
      await this.arm();
    }
    return reports;
  }

  private async run(scheduled: ScheduledStep): Promise<StepReport> {
    const { environment, workflowId, step } = scheduled;
    const target = { environment, workflowId, step };
    let outcome: StepOutcome;
    try {
      outcome =
        (await guardBeforeStep(this.sy, target, scheduled.workflow)) ??
        (await runStep(this.sy, target, scheduled.workflow));
    } catch (error) {
      outcome = { kind: 'retry', error };
    }
    this.onStep(outcome.kind);
    const key = stepKey(target);
    const log = this.sy.logger;
    const detail = { workflow: workflowId, environment, step };
    if (outcome.kind === 'retry') {
      const attempts = (this.backoff.get(key)?.attempts ?? 0) + 1;
      const waitMs = Math.min(this.maxSleepMs, this.retryBaseMs * 2 ** (attempts - 1));
      this.backoff.set(key, { attempts, retryAtMs: this.sy.clock.now().getTime() + waitMs });
      log.error(
        { ...detail, attempts, retryInMs: waitMs, err: describe(outcome.error) },
        'workflow step failed; retrying',
      );
    } else {
      this.backoff.delete(key);
      if (outcome.kind === 'done') log.info({ ...detail, seq: outcome.seq }, 'workflow step ran');
      if (outcome.kind === 'failed')
        log.warn({ ...detail, error: outcome.error }, 'workflow failed at a step');
      if (outcome.kind === 'rolledback')
        log.warn({ ...detail, guard: outcome.trip }, 'guard tripped: flag rolled back');
    }
    return { ...target, outcome };
  }

  private async scan(): Promise<ScheduledStep[]> {
    return this.sy.store.read((reader) => scheduledSteps(reader));
  }

  /** When a step may run: its due time, or later while it waits out a retry. */
  private runnableAt(scheduled: ScheduledStep): number {
    return Math.max(scheduled.dueMs, this.backoff.get(stepKey(scheduled))?.retryAtMs ?? 0);
  }

  /** Sets the one timer for the next due step, or for `maxSleepMs` when that is later. */
  private async arm(): Promise<void> {
    clearTimeout(this.timer);
    if (this.closed) return;
    let next: number | undefined;
    try {
      for (const scheduled of await this.scan()) {
        const at = this.runnableAt(scheduled);
        next = next === undefined ? at : Math.min(next, at);
      }
    } catch (error) {
      this.sy.logger.error({ err: describe(error) }, 'scheduler could not read the workflows');
    }
    this.nextWake = next === undefined ? null : new Date(next);
    if (!this.useTimer || this.closed) return;
    const sleep = next === undefined ? this.maxSleepMs : next - this.sy.clock.now().getTime();
    this.timer = setTimeout(() => this.wake(), Math.max(0, Math.min(sleep, this.maxSleepMs)));
    this.timer.unref();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
