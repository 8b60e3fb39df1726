import type { ConfigSnapshot } from '@switchyard/core/schema';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import { buildConfigSnapshot } from '../config/config-snapshot';
import { eventTriggerActor, eventTriggers } from '../entities/workflow/event-triggers';
import { NotFoundError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { LogEntry } from '../store/records';
import type { Store, StoreWriter } from '../store/store';
import type { Context, VerbHost } from '../verbs/context';
import { createContext } from '../verbs/context';
import { AfterHookRunner } from '../verbs/after-hook-runner';
import type { AfterRegistration, RetryPolicy } from '../verbs/hooks';
import { DEFAULT_HOOK_RETRY, HookRegistry } from '../verbs/hooks';
import type { Verbs } from '../verbs/registry';
import { buildVerbs, findVerb } from '../verbs/registry';
import { TENSES, eventTypeOf, isWriteVerb } from '../verbs/tenses';
import type { WriteVerbName } from '../verbs/tenses';
import type { Verb, VerbCall, WriteVerb } from '../verbs/verb';
import { Environments } from './environments';

/** A write verb whose input is valid and whose before-hooks let it through, ready to apply. */
export interface PreparedWrite {
  readonly facade: string;
  readonly verb: WriteVerbName;
  readonly environment: string;
  readonly actor: string;
  /** The validated input. */
  readonly input: unknown;
  readonly spec: WriteVerb;
}

/** What a write verb did in a transaction: its result and its domain event, if it wrote one. */
export interface AppliedWrite {
  result: unknown;
  entry: LogEntry | undefined;
  /** The after-hooks whose runs the transaction recorded, for their first attempt. */
  hooks?: AfterRegistration<Context>[];
  /** The writes its domain event caused in the same transaction (workflows it triggered). */
  followUps?: AppliedWrite[];
}

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
  /**
   * After-hook runs still owed (from before a restart, or another instance's): how often to look
   * for them, and how long an attempt holds its run (see `AfterHookRunnerOptions`).
   */
  afterHooks?: { pollMs?: number; leaseMs?: number };
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
  readonly hooks = new HookRegistry<Context>();
  readonly environments: Environments;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Verbs in the development environment, done by `system`; hooks registered here fire everywhere. */
  readonly $: Context;
  private readonly observer: VerbObserver;
  private readonly afterHooks: AfterHookRunner<Context>;

  constructor(options: SwitchyardOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.observer = options.observer ?? {};
    this.afterHooks = new AfterHookRunner(this.hooks, (env, actor) => this.context(env, actor), {
      store: this.store,
      clock: this.clock,
      logger: this.logger,
      retry: options.hookRetry ?? DEFAULT_HOOK_RETRY,
      ...options.afterHooks,
      onFailure: (hook, attempt, final) => this.observer.hookFailed?.(hook, attempt, final),
    });
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

  /**
   * Stops hook retries and waits for running hooks; the store is the caller's to close. Runs
   * still owed stay in the store and resume when their hooks are registered again.
   */
  async close(): Promise<void> {
    await this.afterHooks.close();
  }

  /**
   * Validates a write verb's input and runs its before-hooks, for a caller that applies the verb
   * inside a transaction of its own: `applyWrite` in it, then `afterWrite` once it committed.
   */
  async prepareWrite(
    facade: string,
    verbName: string,
    input: unknown,
    environment: string,
    actor: string,
  ): Promise<PreparedWrite> {
    const verb = findVerb(this.verbs, `${facade}.${verbName}`);
    if (!verb || verb.kind !== 'write' || !isWriteVerb(verbName)) {
      throw new NotFoundError(`no write verb ${facade}.${verbName}`);
    }
    const parsed = await this.parse(verb, facade, verbName, input, environment);
    await this.hooks.runBefore(
      `${facade}.${verbName}`,
      TENSES[verbName].progressive,
      environment,
      parsed,
      (who) => this.context(environment, who),
    );
    return { facade, verb: verbName, environment, actor, input: parsed, spec: verb };
  }

  /**
   * Applies a prepared write verb in `tx` and appends its domain event there, with a run owed
   * by each after-hook that applies (so the hooks run at least once even across a restart).
   */
  async applyWrite(tx: StoreWriter, write: PreparedWrite): Promise<AppliedWrite> {
    const call: VerbCall = {
      environment: write.environment,
      actor: write.actor,
      now: this.clock.now(),
    };
    const change = await write.spec.apply(tx, write.input, call);
    if (!change.event) return { result: change.result, entry: undefined };
    const entry = await tx.appendLog({
      type: eventTypeOf(write.facade, write.verb),
      ...change.event,
      environment: write.environment,
      at: call.now.toISOString(),
      actor: write.actor,
    });
    const key = `${write.facade}.${write.verb}`;
    const hooks = await this.afterHooks.record(tx, key, entry, change.result);
    // Workflows waiting for this event start in this very transaction: exactly once, durably.
    const followUps: AppliedWrite[] = [];
    const actor = eventTriggerActor(entry);
    for (const { input, spec } of await eventTriggers(tx, entry)) {
      const trigger = { facade: 'Workflow', verb: 'trigger', input, spec } as const;
      followUps.push(
        await this.applyWrite(tx, { ...trigger, environment: write.environment, actor }),
      );
    }
    return { result: change.result, entry, hooks, followUps };
  }

  /**
   * Makes the first attempt of each after-hook of a write that committed (none when it changed
   * nothing); failures are logged and retried later, never thrown.
   */
  async afterWrite(write: PreparedWrite, applied: AppliedWrite): Promise<void> {
    if (!applied.entry || !applied.hooks) return;
    await this.afterHooks.runFirst(applied.hooks, applied.entry, applied.result);
    for (const followUp of applied.followUps ?? []) await this.afterWrite(write, followUp);
  }

  private async parse(
    verb: Verb,
    facade: string,
    verbName: string,
    input: unknown,
    environment: string,
  ): Promise<unknown> {
    const parsed = verb.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, `${facade}.${verbName} input`);
    await this.environments.ensure(environment);
    return parsed.data;
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
    if (verb.kind === 'read') {
      const parsed = await this.parse(verb, facade, verbName, input, environment);
      const call: VerbCall = { environment, actor, now: this.clock.now() };
      return this.store.read((reader) => verb.read(reader, parsed, call));
    }
    const write = await this.prepareWrite(facade, verbName, input, environment, actor);
    const applied = await this.store.transaction((tx) => this.applyWrite(tx, write));
    await this.afterWrite(write, applied);
    return applied.result;
  }
}
