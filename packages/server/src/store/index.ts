export { openStore, isPostgresUrl } from './open-store';
export type { OpenStoreOptions } from './open-store';
export { SqliteStore } from './sqlite-store';
export { PostgresStore } from './postgres-store';
export type { PostgresStoreOptions } from './postgres-store';
export { MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
export type { CommitListener, Store, StoreReader, StoreWriter } from './store';
export { commitChannel } from './commit-channel';
export type { CommitNotice } from './commit-channel';
export { pairKey, unitMetricKey } from './ingest-queries';
export type {
  AggregateRow,
  ExposureRow,
  IngestReader,
  IngestWriter,
  UnitMetricKey,
  UnitMetricRow,
} from './ingest-queries';
export type { AnalysisReader, AnalysisWriter, SequentialLook } from './analysis-queries';
export type {
  HookRun,
  HookRunOutcome,
  HookRunReader,
  HookRunStatus,
  HookRunWriter,
  NewHookRun,
} from './hook-run-queries';
export type {
  DeliveryRecord,
  DeliveryStatus,
  EntityRecord,
  JsonObject,
  KeyKind,
  KeyRecord,
  LogEntry,
  LogQuery,
  MetricPoint,
  NewLogEntry,
  Page,
  StoredEvent,
} from './records';
