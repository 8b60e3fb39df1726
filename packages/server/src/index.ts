// The public API of @switchyard/server.
export { createServer } from './server';
export type { HookSetup, ServerOptions, SwitchyardServer } from './server';
export { Switchyard, DEFAULT_ENVIRONMENT, DEFAULT_ENVIRONMENTS, Environments } from './service';
export type { SwitchyardOptions, VerbObserver } from './service';
export type { Context, Facade } from './verbs/context';
export type { AfterHook, AfterHookOptions, BeforeHook, RetryPolicy } from './verbs/hooks';
export { TENSES, eventTypeOf } from './verbs/tenses';
export type { WriteVerbName } from './verbs/tenses';
export { compileExperiment, compileFlag, buildConfigSnapshot } from './config';
export { openStore, isPostgresUrl, SqliteStore, PostgresStore, MIGRATIONS } from './store';
export type {
  CommitListener,
  EntityRecord,
  HookRun,
  HookRunOutcome,
  HookRunStatus,
  KeyKind,
  KeyRecord,
  LogEntry,
  LogQuery,
  Store,
  StoreReader,
  StoreWriter,
  StoredEvent,
} from './store';
export { Keys, hashSecret } from './keys';
export type { CreatedKey, KeyView } from './keys';
export {
  ConflictError,
  ForbiddenError,
  HookRefusedError,
  NotFoundError,
  SwitchyardError,
  UnauthorizedError,
  ValidationError,
} from './errors';
export type { Issue } from './errors';
export type { Clock } from './clock';
export type { Logger } from './logger';
export type { Experiment } from './entities/experiment';
export type { FeatureFlag } from './entities/feature-flag';
export type { Segment } from './entities/segment';
export type { Metric } from './entities/metric';
export type { GuardTrip, Workflow, WorkflowStep } from './entities/workflow';
export type { Webhook, WebhookView } from './entities/webhook';
export type { CronSchedule } from './entities/workflow';
export {
  CronSyntaxError,
  Scheduler,
  SCHEDULER_ACTOR,
  isTick,
  isTimeZone,
  nextTick,
  parseCron,
  workflowActor,
} from './scheduler';
export type {
  CronExpression,
  SchedulerOptions,
  StepOutcome,
  StepReport,
  StepRun,
} from './scheduler';
export {
  AnalysisMonitor,
  AUTO_CONCLUDE_ACTOR,
  ANALYSIS_ACTOR,
  SRM_CLEARED,
  SRM_DETECTED,
  suggestSampleSize,
} from './analysis';
export type {
  AnalysisMonitorOptions,
  ConclusionOutcome,
  SampleSizeAnswer,
  SampleSizeRequest,
} from './analysis';
export type { ExperimentMetricResults, ExperimentResultsReport } from './ingest/experiment-results';
export type { EvaluateBody, EvaluationResults } from './http/routes/evaluate';
