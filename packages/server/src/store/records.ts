/** A JSON object as stored in a document column. */
export type JsonObject = Record<string, unknown>;

/** One entity (experiment, flag, segment, …) as a JSON document in the generic table. */
export interface EntityRecord {
  id: string;
  /** The entity type name, e.g. `Experiment`, `FeatureFlag`. */
  type: string;
  environment: string;
  /** A unique-per-(type, environment) human key (a flag's key), or null. */
  key: string | null;
  data: JsonObject;
  createdAt: string;
  updatedAt: string;
}

/** One immutable row of the domain log; `seq` is gap-free and doubles as the config version. */
export interface LogEntry {
  seq: number;
  /** The domain event name, e.g. `experiment.concluded`. */
  type: string;
  entityType: string;
  entityId: string;
  environment: string;
  /** ISO-8601 time of the commit. */
  at: string;
  actor: string;
  payload: JsonObject;
  /** The entity's full state after the verb; null when the verb deleted it. */
  state: JsonObject | null;
}

/** A log row before the store assigns its `seq`. */
export type NewLogEntry = Omit<LogEntry, 'seq'>;

/** Which log rows to read, in `seq` order. */
export interface LogQuery {
  /** Only rows with a larger seq. */
  after?: number;
  limit?: number;
  environment?: string;
  entityType?: string;
  entityId?: string;
  /** Only these event types. */
  types?: string[];
}

/** The kinds of API key: admin keys manage, server and client keys belong to SDKs of one environment. */
export type KeyKind = 'admin' | 'server' | 'client';

/** An API key as stored: only the SHA-256 hash of the secret is kept. */
export interface KeyRecord {
  id: string;
  /** The first characters of the secret, shown in listings and used to find candidates. */
  prefix: string;
  kind: KeyKind;
  /** Null for admin keys, which span environments. */
  environment: string | null;
  hash: string;
  name: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A stored event (idempotent by id). */
export interface StoredEvent {
  id: string;
  environment: string;
  type: string;
  unit: string | null;
  /** Milliseconds since the epoch, as the event says it happened. */
  timestamp: number;
  receivedAt: string;
  properties: JsonObject;
}

/** One data point recorded with `Metric.record`. */
export interface MetricPoint {
  id: string;
  environment: string;
  name: string;
  value: number;
  dimensions: JsonObject;
  at: string;
}

/** The state of one webhook delivery (one domain event to one subscription). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One webhook delivery and its attempts so far. */
export interface DeliveryRecord {
  id: string;
  webhookId: string;
  seq: number;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** Paging of simple listings. */
export interface Page {
  limit?: number;
  offset?: number;
}
