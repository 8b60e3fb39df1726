/** The SQL dialects the store speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** One schema change; `sql` uses the type tokens of `TYPES` so one text serves both engines. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** The engines it changes, when not both: elsewhere it is recorded as applied and does nothing. */
  dialects?: readonly Dialect[];
}

const TYPES: Record<Dialect, Record<string, string>> = {
  sqlite: { json: 'TEXT', time: 'TEXT', seq: 'INTEGER', float: 'REAL', clustered: 'WITHOUT ROWID' },
  postgres: {
    json: 'JSONB',
    time: 'TIMESTAMPTZ',
    seq: 'BIGINT',
    float: 'DOUBLE PRECISION',
    clustered: '',
  },
};

/**
 * Replaces `{json}`, `{time}`, `{seq}` and `{float}` with the dialect's column types, and
 * `{clustered}` (after a table) with SQLite's WITHOUT ROWID: rows stored in primary-key order.
 */
export function renderMigration(sql: string, dialect: Dialect): string {
  return sql.replace(/\{(\w+)\}/g, (token, name: string) => TYPES[dialect][name] ?? token);
}

/** Every migration, in order. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'entities, domain log, keys, events, metric points, webhook deliveries',
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE environments (name TEXT PRIMARY KEY, created_at {time} NOT NULL);
CREATE TABLE entities (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  environment TEXT NOT NULL,
  key TEXT,
  data {json} NOT NULL,
  created_at {time} NOT NULL,
  updated_at {time} NOT NULL
);
CREATE UNIQUE INDEX entities_key ON entities (type, environment, key);
CREATE INDEX entities_list ON entities (type, environment, created_at);
CREATE TABLE domain_log (
  seq {seq} PRIMARY KEY,
  type TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  environment TEXT NOT NULL,
  at {time} NOT NULL,
  actor TEXT NOT NULL,
  payload {json} NOT NULL,
  state {json}
);
CREATE INDEX domain_log_as_of ON domain_log (entity_type, environment, at);
CREATE INDEX domain_log_entity ON domain_log (entity_id, seq);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL,
  kind TEXT NOT NULL,
  environment TEXT,
  hash TEXT NOT NULL,
  name TEXT,
  created_at {time} NOT NULL,
  revoked_at {time}
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  type TEXT NOT NULL,
  unit TEXT,
  timestamp {seq} NOT NULL,
  received_at {time} NOT NULL,
  properties {json} NOT NULL
);
CREATE INDEX events_list ON events (environment, received_at);
CREATE TABLE metric_points (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  value {float} NOT NULL,
  dimensions {json} NOT NULL,
  at {time} NOT NULL
);
CREATE INDEX metric_points_list ON metric_points (environment, name, at);
CREATE TABLE cursors (name TEXT PRIMARY KEY, seq {seq} NOT NULL);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL,
  seq {seq} NOT NULL,
  event_type TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at {time} NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  created_at {time} NOT NULL,
  updated_at {time} NOT NULL,
  delivered_at {time}
);
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, seq);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
`,
  },
  {
    version: 2,
    name: 'ingestion: first exposures, per-unit metric values, per-variant aggregates',
    sql: `
CREATE TABLE exposures (
  experiment TEXT NOT NULL,
  unit TEXT NOT NULL,
  environment TEXT NOT NULL,
  variant TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at {seq} NOT NULL,
  PRIMARY KEY (experiment, unit)
) {clustered};
CREATE TABLE unit_metrics (
  experiment TEXT NOT NULL,
  metric TEXT NOT NULL,
  unit TEXT NOT NULL,
  events INTEGER NOT NULL,
  total {float} NOT NULL,
  PRIMARY KEY (experiment, metric, unit)
) {clustered};
CREATE TABLE metric_aggregates (
  experiment TEXT NOT NULL,
  metric TEXT NOT NULL,
  variant TEXT NOT NULL,
  units INTEGER NOT NULL,
  observed INTEGER NOT NULL,
  conversions INTEGER NOT NULL,
  sum {float} NOT NULL,
  sum_squares {float} NOT NULL,
  PRIMARY KEY (experiment, metric, variant)
) {clustered};
`,
  },
  {
    version: 3,
    name: 'analysis: the running minimum of each always-valid p-value',
    sql: `
CREATE TABLE sequential_looks (
  experiment TEXT NOT NULL,
  metric TEXT NOT NULL,
  variant TEXT NOT NULL,
  p_value {float} NOT NULL,
  looked_at {time} NOT NULL,
  PRIMARY KEY (experiment, metric, variant)
) {clustered};
`,
  },
  {
    version: 4,
    name: 'after-hook runs owed per domain event, so they resume after a restart',
    sql: `
CREATE TABLE hook_runs (
  seq {seq} NOT NULL,
  hook TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  version INTEGER NOT NULL,
  next_attempt_at {time} NOT NULL,
  result {json} NOT NULL,
  last_error TEXT,
  created_at {time} NOT NULL,
  updated_at {time} NOT NULL,
  PRIMARY KEY (seq, hook)
);
CREATE INDEX hook_runs_due ON hook_runs (status, next_attempt_at);
`,
  },
  {
    version: 5,
    name: 'events on SQLite: listed in the order stored, without the (environment, received_at) index',
    // A third B-tree per event cost about a third of ingestion's inserts; SQLite's rowid is the
    // order events were stored in already (see `listEvents`).
    dialects: ['sqlite'],
    sql: `DROP INDEX IF EXISTS events_list;`,
  },
];
