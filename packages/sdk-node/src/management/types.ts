// The management API's types come from the server's own verb table (type-only imports: nothing
// of the server is loaded at run time), so inputs and results cannot drift from what it checks.
import type { EvaluationContext } from '@switchyard/core';
import type { DomainEventMessage } from '@switchyard/core/schema';
import type {
  Context,
  CreatedKey,
  EvaluateBody,
  EvaluationResults,
  ExperimentResultsReport,
  KeyView,
  Keys,
  LogEntry,
  SampleSizeAnswer,
  SampleSizeRequest,
  WebhookView,
} from '@switchyard/server';
import type { FacadeName, PAST, PastVerb, RouteVerbName } from './routes';

/** A domain event as remote hooks receive it: `{ seq, type, entityType, id, at, payload, entity }`. */
export type DomainEvent = DomainEventMessage['event'];

type ServerFacade<F extends FacadeName> = Context[F];

/** The reads about experiments the REST API serves besides the verbs. */
export interface ExperimentReads {
  /**
   * `GET /v1/experiments/:id/results[?metric=]`: the statistics of the primary metric (or of
   * `metric`) per variant, with each secondary metric's unless one was asked for. Each call is a
   * look: the always-valid p-values it reports are running minima the server stores.
   */
  results(input: { id: string; metric?: string } | string): Promise<ExperimentResultsReport>;
  /**
   * `POST /v1/experiments/sample-size`: the units an experiment needs to detect
   * `minimumDetectableEffect` on `baseline` (set `targetSampleSize` to the answer's).
   */
  sampleSize(input: SampleSizeRequest): Promise<SampleSizeAnswer>;
}

/** The routes of facade `F` that are not server verbs, by name. */
type FacadeReads = { Experiment: ExperimentReads };

/** The verbs of facade `F`, typed as the server's: `Experiment.conclude({ id, winner })`. */
export type FacadeVerbs<F extends FacadeName> = {
  [K in RouteVerbName<F>]: K extends keyof ServerFacade<F>
    ? ServerFacade<F>[K]
    : F extends keyof FacadeReads
      ? K extends keyof FacadeReads[F]
        ? FacadeReads[F][K]
        : never
      : never;
};

/** What the server's after-hook of `past` receives as its first argument. */
type ServerHookEntity<F extends FacadeName, P> = P extends keyof ServerFacade<F>
  ? ServerFacade<F>[P] extends (hook: infer H) => unknown
    ? H extends (entity: infer E, ...rest: never[]) => unknown
      ? E
      : never
    : never
  : never;

/**
 * What a remote after-hook of verb `W` receives: the entity's state after the verb, as the
 * domain log holds it (`{ $id }` after a delete; a webhook without its secret).
 */
export type HookEntity<F extends FacadeName, W extends PastVerb> = W extends 'delete'
  ? { $id: string }
  : F extends 'Webhook'
    ? WebhookView
    : ServerHookEntity<F, (typeof PAST)[W]>;

/**
 * A remote after-hook: the entity, `$` (the management API in the event's environment) and the
 * domain event. It runs at least once per event; see `RemoteHooks`.
 */
export type RemoteHook<E> = (entity: E, $: Management, event: DomainEvent) => unknown;

/** Registers a remote after-hook; answers the function that removes it. */
export type HookRegistrar<E> = (handler: RemoteHook<E>) => () => void;

/** The after-hooks of facade `F`: `Experiment.concluded(fn)`, `FeatureFlag.rolledout(fn)`, … */
export type FacadeHooks<F extends FacadeName> = {
  [W in RouteVerbName<F> & PastVerb as (typeof PAST)[W]]: HookRegistrar<HookEntity<F, W>>;
};

/** One facade of the management API: its verbs and the registrars of its after-hooks. */
export type ManagementFacade<F extends FacadeName> = FacadeVerbs<F> & FacadeHooks<F>;

/** The input of `Key.create`. */
export type KeyCreateInput = Parameters<Keys['create']>[0];

/** API keys: listed without secrets, created with the secret shown once, revoked. */
export interface KeyApi {
  list(): Promise<KeyView[]>;
  create(input: KeyCreateInput): Promise<CreatedKey>;
  revoke(input: { id: string } | string): Promise<KeyView>;
}

/** The project's environments. */
export interface EnvironmentApi {
  list(): Promise<string[]>;
  /** Creates an environment; nothing happens when it exists. */
  create(input: { name: string }): Promise<{ name: string }>;
}

/** Which rows of the domain log to read, in seq order. */
export interface LogQuery {
  /** Only rows after this seq. */
  after?: number;
  /** At most this many (1–1000, default 100). */
  limit?: number;
  /** Only these event types: `['experiment.concluded']`. */
  types?: string[];
  entityType?: string;
  entityId?: string;
  /** Only this environment's rows (default: every environment). */
  environment?: string;
}

/** A page of the domain log; `next` is the `after` of the next page. */
export interface LogPage {
  data: LogEntry[];
  next: number;
}

/** What `evaluate` takes besides the context(s): which flags and experiments, flag defaults. */
export type EvaluateOptions = Omit<EvaluateBody, 'context' | 'contexts'>;

/** How the server evaluated one context, at config `version`. */
export interface Evaluation extends EvaluationResults {
  version: number;
}

/** How the server evaluated a batch of contexts, in their order, at config `version`. */
export interface BatchEvaluation {
  version: number;
  results: EvaluationResults[];
}

/**
 * The management API: the seed's verbs over REST with an admin key, bound to one environment,
 * plus remote after-hooks. `$.Experiment.create(...)`, `$.env('production').FeatureFlag.enable(...)`,
 * `$.Experiment.concluded(async (experiment, $) => ...)`.
 */
export interface Management {
  /** The environment verbs run in. */
  readonly environment: string;
  /** The same API in another environment (its hooks hear only that environment). */
  env(environment: string): Management;
  readonly Experiment: ManagementFacade<'Experiment'>;
  readonly FeatureFlag: ManagementFacade<'FeatureFlag'>;
  readonly Segment: ManagementFacade<'Segment'>;
  readonly Metric: ManagementFacade<'Metric'>;
  readonly Workflow: ManagementFacade<'Workflow'>;
  readonly Webhook: ManagementFacade<'Webhook'>;
  readonly Event: ManagementFacade<'Event'>;
  readonly Key: KeyApi;
  readonly Environment: EnvironmentApi;
  /** Reads the domain log (the audit trail of every verb). */
  log(query?: LogQuery): Promise<LogPage>;
  /**
   * `POST /v1/evaluate`: the server evaluates the flags and experiments of this environment's
   * config (every flag, serverOnly ones too) for a context, with the same core code as the SDKs.
   * For checking what a user gets without an SDK client; `flags` and `experiments` pick some
   * (default: all), `defaults` are served where a flag serves no value of its own.
   */
  evaluate(input: EvaluateOptions & { context: EvaluationContext }): Promise<Evaluation>;
  /** The same for up to 1,000 `contexts` at one config version. */
  evaluate(input: EvaluateOptions & { contexts: EvaluationContext[] }): Promise<BatchEvaluation>;
  /**
   * Stops the remote hooks: waits for the handler that runs (at most `timeoutMs`, default
   * 10,000), acknowledges it, and closes the socket, so the process can exit.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}
