import type { ConfigSnapshot } from '@switchyard/core/schema';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { buildConfigSnapshot } from '../config/config-snapshot';
import { NotFoundError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { Store } from '../store/store';
import type { Context, VerbHost } from '../verbs/context';
import { createContext } from '../verbs/context';
import type { RetryPolicy } from '../verbs/hooks';
import { DEFAULT_HOOK_RETRY, HookRegistry } from '../verbs/hooks';
import type { Verbs } from '../verbs/registry';
import { buildVerbs, findVerb } from '../verbs/registry';
import { TENSES, eventTypeOf, isWriteVerb } from '../verbs/tenses';
import type { VerbCall } from '../verbs/verb';
import { Environments } from './environments';

/** Hears how verbs and hooks went (for metrics). */
export interface VerbObserver {
  verbDone?(verb: string, outcome: 'ok' | 'error', seconds: number): void;
  hookFailed?(hook: string, attempt: number, final: boolean): void;
}

export interface SwitchyardOptions {
  store: Store;
  clock?: Clock;
  logger?: Logger;
  hookRetry?: RetryPolicy;
  observer?: VerbObserver;
}

/** The environment verbs run in when none is named. */
export const DEFAULT_ENVIRONMENT = 'development';

/**
 * The application core: runs verbs (validate → before-hooks → one transaction writing the
 * entity and its domain event → after-hooks) over a store. The HTTP layer and `$` both call it.
 */
export class Switchyard implements VerbHost {
  readonly verbs: Verbs = buildVerbs();
  readonly hooks: HookRegistry<Context>;
  readonly environments: Environments;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Verbs in the development environment, done by `system`; hooks registered here fire everywhere. */
  readonly $: Context;
  private readonly observer: VerbObserver;

  constructor(options: SwitchyardOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? {};
    this.hooks = new HookRegistry<Context>(
      this.logger,
      options.hookRetry ?? DEFAULT_HOOK_RETRY,
      (hook, attempt, final) => this.observer.hookFailed?.(hook, attempt, final),
    );
    this.environments = new Environments(this.store);
    this.$ = createContext(this, DEFAULT_ENVIRONMENT, 'system');
  }

  /** `$` for an environment and actor. */
  context(environment = DEFAULT_ENVIRONMENT, actor = 'system'): Context {
    return this.$.env(environment).as(actor);
  }

  /** Runs `facade.verb` with an unvalidated input; throws a SwitchyardError to refuse. */
  async call(
    facade: string,
    verb: string,
    input: unknown,
    environment: string,
    actor: string,
  ): Promise<unknown> {
    const started = performance.now();
    const name = `${facade}.${verb}`;
    try {
      const result = await this.run(facade, verb, input, environment, actor);
      this.observer.verbDone?.(name, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.observer.verbDone?.(name, 'error', (performance.now() - started) / 1000);
      throw error;
    }
  }

  /**
   * The config SDKs of `environment` evaluate, at the latest domain-log seq (`version`).
   * Client keys must get `clientView(snapshot)` of it (no serverOnly flags).
   */
  async configSnapshot(environment = DEFAULT_ENVIRONMENT): Promise<ConfigSnapshot> {
    await this.environments.ensure(environment);
    return this.store.read((reader) => buildConfigSnapshot(reader, environment));
  }

  /** Stops hook retries and waits for running hooks; the store is the caller's to close. */
  async close(): Promise<void> {
    await this.hooks.close();
  }

  private async run(
    facade: string,
    verbName: string,
    input: unknown,
    environment: string,
    actor: string,
  ) {
    const verb = findVerb(this.verbs, `${facade}.${verbName}`);
    if (!verb) throw new NotFoundError(`no verb ${facade}.${verbName}`);
    const parsed = verb.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, `${facade}.${verbName} input`);
    await this.environments.ensure(environment);
    const call = (): VerbCall => ({ environment, actor, now: this.clock.now() });
    if (verb.kind === 'read')
      return this.store.read((reader) => verb.read(reader, parsed.data, call()));
    if (!isWriteVerb(verbName)) throw new Error(`${facade}.${verbName} has no tenses`);
    const key = `${facade}.${verbName}`;
    const hookContext = (who: string) => this.context(environment, who);
    await this.hooks.runBefore(
      key,
      TENSES[verbName].progressive,
      environment,
      parsed.data,
      hookContext,
    );
    const { result, entry } = await this.store.transaction(async (tx) => {
      const now = call();
      const change = await verb.apply(tx, parsed.data, now);
      if (!change.event) return { result: change.result, entry: undefined };
      const entry = await tx.appendLog({
        type: eventTypeOf(facade, verbName),
        ...change.event,
        environment,
        at: now.now.toISOString(),
        actor,
      });
      return { result: change.result, entry };
    });
    if (entry) await this.hooks.runAfter(key, TENSES[verbName].past, result, entry, hookContext);
    return result;
  }
}
