import { HookRefusedError } from '../errors';
import type { LogEntry } from '../store/records';

/**
 * A before-hook: runs before the verb's transaction with the validated input; throwing
 * refuses the verb (the API answers 422 with the thrown message).
 */
export type BeforeHook<I = unknown, C = unknown> = (input: I, $: C) => unknown;

/**
 * An after-hook: runs after the verb committed, with the verb's result, a context bound to the
 * entity's environment, and the domain event. It runs at least once, across restarts too: a
 * failing hook is retried.
 */
export type AfterHook<R = unknown, C = unknown> = (result: R, $: C, event: LogEntry) => unknown;

/** Options of an after-hook registration. */
export interface AfterHookOptions {
  /**
   * A name, unique among the hooks of this verb, that identifies the hook across restarts: runs
   * still owed when the process stopped go to the hook registered under the same name. Default:
   * the registration's ordinal among this verb's after-hooks (`1`, `2`, …), stable as long as a
   * hooks module registers them in the same order.
   */
  name?: string;
}

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

/** A registered after-hook. */
export interface AfterRegistration<C> extends Registered<AfterHook<never, C>> {
  /** The hook's stable name, as its runs are stored: `Experiment.concluded#1`. */
  id: string;
  /** The hook's name, as its actor: `Experiment.concluded`. */
  hook: string;
}

/** A verb's key in the registry: `Experiment.conclude`. */
export type VerbKey = string;

/** The hook name of a verb in a tense: `Experiment.concluded`. */
export function hookName(key: VerbKey, tense: string): string {
  return `${key.split('.')[0]}.${tense}`;
}

/**
 * The in-process hooks of every verb, in registration order. Before-hooks run here; after-hooks
 * are only registered here, under stable names, and run by the `AfterHookRunner`.
 */
export class HookRegistry<C> {
  private readonly before = new Map<VerbKey, Registered<BeforeHook<never, C>>[]>();
  private readonly after = new Map<VerbKey, AfterRegistration<C>[]>();
  private readonly afterById = new Map<string, AfterRegistration<C>>();
  private readonly ordinals = new Map<VerbKey, number>();
  private readonly listeners = new Set<() => void>();

  /** Registers a before-hook of `key`; returns the function that removes it. */
  addBefore(key: VerbKey, fn: BeforeHook<never, C>, environment?: string): () => void {
    return add(this.before, key, { fn, environment });
  }

  /**
   * Registers an after-hook of `key` (`past` names its tense); returns the function that removes
   * it. Throws when the name is taken among the after-hooks of `key`.
   */
  addAfter(
    key: VerbKey,
    past: string,
    fn: AfterHook<never, C>,
    environment?: string,
    options: AfterHookOptions = {},
  ): () => void {
    const ordinal = (this.ordinals.get(key) ?? 0) + 1;
    const hook = hookName(key, past);
    const id = `${hook}#${options.name ?? ordinal}`;
    if (this.afterById.has(id))
      throw new Error(`an after-hook named '${id}' is already registered`);
    this.ordinals.set(key, ordinal);
    const entry: AfterRegistration<C> = { fn, environment, id, hook };
    const remove = add(this.after, key, entry);
    this.afterById.set(id, entry);
    for (const listener of this.listeners) listener();
    return () => {
      remove();
      if (this.afterById.get(id) === entry) this.afterById.delete(id);
    };
  }

  /** The after-hooks of `key` that apply in `environment`, in registration order. */
  afterHooks(key: VerbKey, environment: string): AfterRegistration<C>[] {
    return applicable(this.after.get(key), environment);
  }

  /** The after-hook registered under `id`, if any. */
  afterHook(id: string): AfterRegistration<C> | undefined {
    return this.afterById.get(id);
  }

  /** The names of every registered after-hook. */
  afterHookIds(): string[] {
    return [...this.afterById.keys()];
  }

  /** Hears every after-hook registration; returns the function that stops listening. */
  onAfterAdded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
}

function add<E>(map: Map<VerbKey, E[]>, key: VerbKey, entry: E) {
  const list = map.get(key) ?? [];
  list.push(entry);
  map.set(key, list);
  return () => {
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
  };
}

function applicable<E extends { environment: string | undefined }>(
  list: E[] | undefined,
  environment: string,
): E[] {
  // A copy, so a hook that registers or removes hooks does not disturb this run.
  return (list ?? []).filter((h) => h.environment === undefined || h.environment === environment);
}
