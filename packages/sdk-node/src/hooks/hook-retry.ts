/** How a failing remote hook is retried: `attempts` in all, waiting `baseMs`·2ⁿ up to `maxMs` (jittered). */
export interface HookRetryPolicy {
  /** Tries in all, the first included; `Infinity` holds the subscription until the hook succeeds. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/** As the server retries its in-process after-hooks: 8 attempts over about half a minute. */
export const DEFAULT_HOOK_RETRY: HookRetryPolicy = { attempts: 8, baseMs: 250, maxMs: 15_000 };

/** A remote hook threw (or rejected) while handling a domain event. */
export class RemoteHookError extends Error {
  override readonly name = 'RemoteHookError';

  constructor(
    /** The event type, e.g. `experiment.concluded`. */
    readonly hook: string,
    /** The domain event's seq. */
    readonly seq: number,
    /** Which try this was, from 1. */
    readonly attempt: number,
    /** True when no more tries follow: the event is acknowledged and left behind. */
    readonly final: boolean,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `the ${hook} hook failed on event ${seq} (attempt ${attempt}${final ? ', giving up' : ', will retry'}): ${reason}`,
      { cause },
    );
  }
}
