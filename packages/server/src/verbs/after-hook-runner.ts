import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { LogEntry } from '../store/records';
import { CoalescedRounds } from '../service/coalesced-rounds';
import type { Store, StoreWriter } from '../store/store';
import type { AfterHook, AfterRegistration, HookRegistry, RetryPolicy, VerbKey } from './hooks';
import { backoffDelay } from './hooks';

/** Called when an after-hook failed (for metrics). */
export type HookFailureListener = (hook: string, attempt: number, final: boolean) => void;

export interface AfterHookRunnerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /**
   * How long an attempt holds its run before another may take it: after a crash in the middle
   * of a hook, the run resumes this long after it started (default 60 s).
   */
  leaseMs?: number;
  /** How often to look for runs owed from before a restart or by another instance (default 1 s). */
  pollMs?: number;
  onFailure?: HookFailureListener;
}

/** One attempt to make: the run's hook, its event and result, and the claim it holds. */
interface Attempt<C> {
  registration: AfterRegistration<C>;
  entry: LogEntry;
  result: unknown;
  /** Attempts made before this one. */
  attempts: number;
  /** The run's version while this attempt holds it. */
  version: number;
}

/** How many owed runs one poll takes. */
const POLL_BATCH = 50;

/**
 * Runs in-process after-hooks at least once, across restarts. A verb's transaction writes one
 * run per applicable after-hook (`record`); after the commit the verb awaits each hook's first
 * attempt (`runFirst`). A hook that succeeds deletes its run; one that fails records the attempt
 * and is retried with backoff, here by a timer and, after a restart or on another instance, by
 * the poll, which takes due runs of the hooks registered in this process. Every attempt first
 * claims its run (a version check plus a lease), so two instances never attempt one run at once.
 */
export class AfterHookRunner<C> {
  private readonly leaseMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** `seq|hook` of the runs attempted in this process right now. */
  private readonly inflight = new Set<string>();
  private readonly stopListening: () => void;
  private poller: NodeJS.Timeout | undefined;
  private readonly rounds: CoalescedRounds;
  private closed = false;

  constructor(
    private readonly registry: HookRegistry<C>,
    private readonly context: (environment: string, actor: string) => C,
    private readonly options: AfterHookRunnerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.rounds = new CoalescedRounds(
      () => this.takeDue(),
      (error) => options.logger.error({ err: error }, 'looking for owed after-hooks failed'),
    );
    // Polling starts with the first after-hook: a process without any never reads the runs.
    this.stopListening = registry.onAfterAdded(() => {
      if (this.closed) return;
      if (!this.poller) {
        this.poller = setInterval(() => this.poll(), options.pollMs ?? 1000);
        this.poller.unref();
      }
      this.poll();
    });
  }

  /** In the verb's transaction: one run per after-hook of `key` that applies to `entry`. */
  async record(
    tx: StoreWriter,
    key: VerbKey,
    entry: LogEntry,
    result: unknown,
  ): Promise<AfterRegistration<C>[]> {
    const hooks = this.registry.afterHooks(key, entry.environment);
    if (hooks.length === 0) return hooks;
    const now = this.options.clock.now();
    const at = now.toISOString();
    // Claimed from the start: the first attempt is this process's, right after the commit.
    const nextAttemptAt = this.after(now, this.leaseMs);
    await tx.hookRuns.insertHookRuns(
      hooks.map((h) => ({
        seq: entry.seq,
        hook: h.id,
        nextAttemptAt,
        result,
        createdAt: at,
        updatedAt: at,
      })),
    );
    return hooks;
  }

  /** After the commit: the first attempt of each recorded hook, in order. Never throws. */
  async runFirst(hooks: AfterRegistration<C>[], entry: LogEntry, result: unknown): Promise<void> {
    for (const registration of hooks) {
      await this.attempt({ registration, entry, result, attempts: 0, version: 0 });
    }
  }

  /** Stops retrying and polling, and waits for the attempts that are running. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopListening();
    clearInterval(this.poller);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.rounds.stop();
    await Promise.allSettled([...this.running]);
  }

  /** Looks for owed runs of the registered hooks that are due, and attempts them. */
  poll(): void {
    this.rounds.request();
  }

  private async takeDue(): Promise<void> {
    const { store, clock } = this.options;
    const ids = this.registry.afterHookIds();
    if (ids.length === 0) return;
    const now = clock.now();
    const due = await store.read((r) => r.hookRuns.dueHookRuns(ids, now.toISOString(), POLL_BATCH));
    for (const run of due) {
      if (this.closed) return;
      const registration = this.registry.afterHook(run.hook);
      if (!registration || this.inflight.has(`${run.seq}|${run.hook}`)) continue;
      if (!(await this.claim(run.seq, run.hook, run.version))) continue;
      const [entry] = await store.read((r) => r.readLog({ after: run.seq - 1, limit: 1 }));
      if (entry?.seq !== run.seq) continue;
      const attempt = { registration, entry, result: run.result, attempts: run.attempts };
      await this.attempt({ ...attempt, version: run.version + 1 });
    }
  }

  private claim(seq: number, hook: string, version: number): Promise<boolean> {
    const until = this.after(this.options.clock.now(), this.leaseMs);
    return this.options.store.transaction((tx) =>
      tx.hookRuns.claimHookRun(seq, hook, version, until),
    );
  }

  private attempt(run: Attempt<C>): Promise<void> {
    const key = `${run.entry.seq}|${run.registration.id}`;
    this.inflight.add(key);
    const done = (async () => {
      const actor = `hook:${run.registration.hook}`;
      try {
        const fn = run.registration.fn as AfterHook<unknown, C>;
        await fn(run.result, this.context(run.entry.environment, actor), run.entry);
      } catch (error) {
        await this.failed(run, error);
        return;
      }
      await this.options.store.transaction((tx) =>
        tx.hookRuns.deleteHookRun(run.entry.seq, run.registration.id),
      );
    })()
      .catch((error: unknown) =>
        // The store failed (or closed): the run stays owed and is taken again later.
        this.options.logger.error({ err: error, hook: run.registration.id }, 'after-hook run lost'),
      )
      .finally(() => {
        this.inflight.delete(key);
        this.running.delete(done);
      });
    this.running.add(done);
    return done;
  }

  private async failed(run: Attempt<C>, error: unknown): Promise<void> {
    const { store, clock, logger, retry } = this.options;
    const attempts = run.attempts + 1;
    const final = attempts >= retry.attempts;
    const delay = backoffDelay(retry, attempts);
    const now = clock.now();
    const message = error instanceof Error ? error.message : String(error);
    const recorded = await store.transaction((tx) =>
      tx.hookRuns.failHookRun(run.entry.seq, run.registration.id, run.version, {
        status: final ? 'failed' : 'pending',
        attempts,
        nextAttemptAt: this.after(now, final ? 0 : delay),
        lastError: message,
        at: now.toISOString(),
      }),
    );
    this.options.onFailure?.(run.registration.hook, attempts, final);
    const detail = {
      hook: run.registration.id,
      seq: run.entry.seq,
      entity: run.entry.entityId,
      attempt: attempts,
      err: message,
    };
    if (final) {
      logger.error(detail, 'after-hook failed for good; the verb itself stands');
      return;
    }
    logger.warn({ ...detail, retryInMs: delay }, 'after-hook failed; retrying');
    // Lost claim: whoever took the run retries it. Closed: the stored run resumes after a restart.
    if (!recorded || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.retry({ ...run, attempts, version: run.version + 1 });
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private async retry(run: Attempt<C>): Promise<void> {
    if (this.closed || this.registry.afterHook(run.registration.id) !== run.registration) return;
    try {
      if (!(await this.claim(run.entry.seq, run.registration.id, run.version))) return;
    } catch (error) {
      this.options.logger.error({ err: error, hook: run.registration.id }, 'after-hook run lost');
      return;
    }
    await this.attempt({ ...run, version: run.version + 1 });
  }

  private after(now: Date, ms: number): string {
    return new Date(now.getTime() + ms).toISOString();
  }
}
