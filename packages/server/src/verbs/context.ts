import type { LogEntry } from '../store/records';
import type { AfterHook, AfterHookOptions, BeforeHook, HookRegistry } from './hooks';
import type { Verbs } from './registry';
import type { TENSES, WriteVerbName } from './tenses';
import { TENSES as TENSE_TABLE, isWriteVerb } from './tenses';
import type { Verb, VerbInput, VerbParsed, VerbResult, WriteVerb } from './verb';

type WriteKeys<M> = {
  [K in keyof M]: M[K] extends WriteVerb ? (K extends WriteVerbName ? K : never) : never;
}[keyof M];

/** The verbs of one entity type plus the registrars of their hooks. */
export type Facade<M> = {
  [K in keyof M]: (input: VerbInput<M[K]>) => Promise<VerbResult<M[K]>>;
} & {
  [K in WriteKeys<M> as (typeof TENSES)[K & WriteVerbName]['past']]: (
    hook: (result: VerbResult<M[K]>, $: Context, event: LogEntry) => unknown,
    options?: AfterHookOptions,
  ) => () => void;
} & {
  [K in WriteKeys<M> as (typeof TENSES)[K & WriteVerbName]['progressive']]: (
    hook: (input: VerbParsed<M[K]>, $: Context) => unknown,
  ) => () => void;
};

/**
 * `$`: every verb, bound to an environment and an actor.
 * `$.Experiment.create({...})`, `$.env('production').FeatureFlag.enable({ id })`.
 * Hooks registered through the root `$` (`$.Experiment.concluded(fn)`) fire in every
 * environment; through `$.env(name)` only in that one. An after-hook may take a stable name
 * (`$.Experiment.concluded(fn, { name: 'rollout-winner' })`): runs owed when the process
 * stopped resume with the hook of the same name (default: its registration ordinal).
 */
export interface Context {
  readonly environment: string;
  readonly actor: string;
  /** The same verbs in another environment. */
  env(environment: string): Context;
  /** The same verbs, logged as done by `actor`. */
  as(actor: string): Context;
  readonly Experiment: Facade<Verbs['Experiment']>;
  readonly FeatureFlag: Facade<Verbs['FeatureFlag']>;
  readonly Segment: Facade<Verbs['Segment']>;
  readonly Event: Facade<Verbs['Event']>;
  readonly Metric: Facade<Verbs['Metric']>;
  readonly Webhook: Facade<Verbs['Webhook']>;
  readonly Workflow: Facade<Verbs['Workflow']>;
}

/** What a context needs: the verb table, the hooks and a way to run a verb. */
export interface VerbHost {
  readonly verbs: Verbs;
  readonly hooks: HookRegistry<Context>;
  call(
    facade: string,
    verb: string,
    input: unknown,
    environment: string,
    actor: string,
  ): Promise<unknown>;
}

/** Builds `$` for one environment and actor; `hookScope` limits hooks registered through it. */
export function createContext(
  host: VerbHost,
  environment: string,
  actor: string,
  hookScope?: string,
): Context {
  const context: Record<string, unknown> = {
    environment,
    actor,
    env: (name: string) => createContext(host, name, actor, name),
    as: (who: string) => createContext(host, environment, who, hookScope),
  };
  for (const [facadeName, table] of Object.entries(host.verbs) as [
    string,
    Record<string, Verb>,
  ][]) {
    const facade: Record<string, unknown> = {};
    for (const [verbName, verb] of Object.entries(table)) {
      facade[verbName] = (input: unknown) =>
        host.call(facadeName, verbName, input, environment, actor);
      if (verb.kind !== 'write' || !isWriteVerb(verbName)) continue;
      const key = `${facadeName}.${verbName}`;
      const past = TENSE_TABLE[verbName].past;
      facade[past] = (hook: AfterHook<never, Context>, options?: AfterHookOptions) =>
        host.hooks.addAfter(key, past, hook, hookScope, options);
      facade[TENSE_TABLE[verbName].progressive] = (hook: BeforeHook<never, Context>) =>
        host.hooks.addBefore(key, hook, hookScope);
    }
    context[facadeName] = Object.freeze(facade);
  }
  return Object.freeze(context) as unknown as Context;
}
