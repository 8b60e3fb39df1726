import { HookRefusedError, SwitchyardError } from '../errors';
import type { Logger } from '../logger';
import type { LogEntry } from '../store/records';

/**
 * A before-hook: runs before the verb's transaction with the validated input; throwing
 * refuses the verb (the API answers 422 with the thrown message).
 */
export type BeforeHook<I = unknown, C = unknown> = (input: I, $: C) => unknown;

/**
 * An after-hook: runs after the verb committed, with the verb's result, a context bound to the
 * entity's environment, and the domain event. It runs at least once: a failing hook is retried.
 */
export type AfterHook<R = unknown, C = unknown> = (result: R, $: C, event: LogEntry) => unknown;

/** How a failing after-hook is retried: `attempts` in all, waiting base·2ⁿ up to `maxMs`. */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/** Retries of after-hooks by default: 8 attempts over about half a minute. */
export const DEFAULT_HOOK_RETRY: RetryPolicy = { attempts: 8, baseMs: 250, maxMs: 15_000 };

/** The delay before attempt `attempt + 1` after `attempt` failures. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
}

interface Registered<F> {
  fn: F;
  /** Only for this environment; undefined for all. */
  environment: string | undefined;
}

/** Called when an after-hook failed (for metrics). */
export type HookFailureListener = (hook: string, attempt: number, final: boolean) => void;

/** A verb's key in the registry: `Experiment.conclude`. */
export type VerbKey = string;

function hookName(key: VerbKey, tense: string): string {
  return `${key.split('.')[0]}.${tense}`;
}

/**
 * The in-process hooks of every verb, in registration order. After-hooks are awaited once
 * (so a verb's caller sees their effects), then retried with backoff in the background.
 */
export class HookRegistry<C> {
  private readonly before = new Map<VerbKey, Registered<BeforeHook<never, C>>[]>();
  private readonly after = new Map<VerbKey, Registered<AfterHook<never, C>>[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = DEFAULT_HOOK_RETRY,
    private readonly onFailure: HookFailureListener = () => undefined,
  ) {}

  /** Registers a before-hook of `key`; returns the function that removes it. */
  addBefore(key: VerbKey, fn: BeforeHook<never, C>, environment?: string): () => void {
    return add(this.before, key, { fn, environment });
  }

  /** Registers an after-hook of `key`; returns the function that removes it. */
  addAfter(key: VerbKey, fn: AfterHook<never, C>, environment?: string): () => void {
    return add(this.after, key, { fn, environment });
  }

  /** Runs the before-hooks in order; the first that throws refuses the verb. */
  async runBefore(
    key: VerbKey,
    progressive: string,
    environment: string,
    input: unknown,
    context: (actor: string) => C,
  ): Promise<void> {
    const name = hookName(key, progressive);
    for (const hook of applicable(this.before.get(key), environment)) {
      try {
        await (hook.fn as BeforeHook<unknown, C>)(input, context(`hook:${name}`));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new HookRefusedError(message || `refused by the ${name} hook`, name);
      }
    }
  }

  /** Runs the after-hooks once each, in order; failures are logged and retried later. */
  async runAfter(
    key: VerbKey,
    past: string,
    result: unknown,
    entry: LogEntry,
    context: (actor: string) => C,
  ): Promise<void> {
    const name = hookName(key, past);
    for (const hook of applicable(this.after.get(key), entry.environment)) {
      const attempt = (n: number): Promise<void> =>
        this.track(
          (async () => {
            try {
              await (hook.fn as AfterHook<unknown, C>)(result, context(`hook:${name}`), entry);
            } catch (error) {
              this.failed(name, entry, n, error, () => void attempt(n + 1));
            }
          })(),
        );
      await attempt(1);
    }
  }

  /** Stops retrying and waits for the hooks that are running. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private failed(name: string, entry: LogEntry, n: number, error: unknown, again: () => void) {
    const final = n >= this.retry.attempts || this.closed;
    this.onFailure(name, n, final);
    const detail = {
      hook: name,
      seq: entry.seq,
      entity: entry.entityId,
      attempt: n,
      err: error instanceof SwitchyardError || error instanceof Error ? error.message : error,
    };
    if (final) {
      this.logger.error(detail, 'after-hook failed for good; the verb itself stands');
      return;
    }
    const delay = backoffDelay(this.retry, n);
    this.logger.warn({ ...detail, retryInMs: delay }, 'after-hook failed; retrying');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      again();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private track(promise: Promise<void>): Promise<void> {
    this.running.add(promise);
    return promise.finally(() => this.running.delete(promise));
  }
}

function add<F>(map: Map<VerbKey, Registered<F>[]>, key: VerbKey, entry: Registered<F>) {
  const list = map.get(key) ?? [];
  list.push(entry);
  map.set(key, list);
  return () => {
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
  };
}

function applicable<F>(list: Registered<F>[] | undefined, environment: string): Registered<F>[] {
  // A copy, so a hook that registers or removes hooks does not disturb this run.
  return (list ?? []).filter((h) => h.environment === undefined || h.environment === environment);
}
