import type { AnalysisReader, AnalysisWriter } from './analysis-queries';
import type { HookRunReader, HookRunWriter } from './hook-run-queries';
import type { IngestReader, IngestWriter } from './ingest-queries';
import type {
  DeliveryRecord,
  EntityRecord,
  KeyRecord,
  LogEntry,
  LogQuery,
  MetricPoint,
  NewLogEntry,
  Page,
  StoredEvent,
} from './records';

/** Reads that see one consistent state of the store. */
export interface StoreReader {
  /** Ingestion's tables (aggregates). */
  readonly ingest: IngestReader;
  /** The analysis tables (running minima of sequential p-values). */
  readonly analysis: AnalysisReader;
  /** In-process after-hook runs still owed (pending or failed for good). */
  readonly hookRuns: HookRunReader;
  getEntity(type: string, environment: string, id: string): Promise<EntityRecord | null>;
  getEntityByKey(type: string, environment: string, key: string): Promise<EntityRecord | null>;
  listEntities(type: string, environment: string): Promise<EntityRecord[]>;
  /** The states of every entity of a type as they were at `at` (ISO), rebuilt from the log. */
  entityStatesAsOf(
    type: string,
    environment: string,
    at: string,
  ): Promise<Record<string, unknown>[]>;
  readLog(query: LogQuery): Promise<LogEntry[]>;
  /** The seq of the last committed log row, 0 when the log is empty. */
  latestSeq(): Promise<number>;
  /** The seq of the last log row about these entity types in `environment`, 0 when none. */
  latestSeqOf(environment: string, entityTypes: readonly string[]): Promise<number>;
  listEnvironments(): Promise<string[]>;
  listKeys(): Promise<KeyRecord[]>;
  keysByPrefix(prefix: string): Promise<KeyRecord[]>;
  getEvent(id: string): Promise<StoredEvent | null>;
  /** An environment's events in the order stored, or the newest first. */
  listEvents(environment: string, page: Page, newestFirst?: boolean): Promise<StoredEvent[]>;
  listMetricPoints(
    environment: string,
    name: string | undefined,
    page: Page,
  ): Promise<MetricPoint[]>;
  /** The last seq a named log consumer (a webhook, a remote hook) handled; null if it never ran. */
  getCursor(name: string): Promise<number | null>;
  listDeliveries(webhookId: string, page: Page): Promise<DeliveryRecord[]>;
  /** Pending deliveries whose next attempt is due at `now` (ISO), oldest first. */
  dueDeliveries(now: string, limit: number): Promise<DeliveryRecord[]>;
  getMeta(key: string): Promise<string | null>;
}

/** Reads and writes inside one transaction. */
export interface StoreWriter extends StoreReader {
  /** Ingestion's batch writes: events, first exposures, per-unit metric state, aggregates. */
  readonly ingest: IngestWriter;
  readonly analysis: AnalysisWriter;
  readonly hookRuns: HookRunWriter;
  putEntity(record: EntityRecord): Promise<void>;
  deleteEntity(type: string, environment: string, id: string): Promise<void>;
  /** Appends a log row; its seq is the next integer after the last committed one. */
  appendLog(entry: NewLogEntry): Promise<LogEntry>;
  insertEnvironment(name: string, at: string): Promise<void>;
  insertKey(key: KeyRecord): Promise<void>;
  /** Marks a key revoked; false when it does not exist or was already revoked. */
  revokeKey(id: string, at: string): Promise<boolean>;
  /** Inserts an event unless one with its id exists; true when it was new. */
  insertEvent(event: StoredEvent): Promise<boolean>;
  insertMetricPoint(point: MetricPoint): Promise<void>;
  setCursor(name: string, seq: number): Promise<void>;
  putDelivery(delivery: DeliveryRecord): Promise<void>;
  setMeta(key: string, value: string): Promise<void>;
}

/** Called after a transaction commits, with the log rows it appended. */
export type CommitListener = (entries: LogEntry[]) => void;

/**
 * Persistent state behind one interface and two engines (SQLite, PostgreSQL).
 * Every read goes through `read` (a consistent view) and every write through `transaction`
 * (all or nothing), so callers never see a half-applied verb.
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T>;
  /** Runs `fn` in one write transaction; writes are serialized so log seqs commit in order. */
  transaction<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T>;
  /** Subscribes to committed log rows of this process; returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void;
  close(): Promise<void>;
}
