import type { Executor, Row } from './executor';
import { AnalysisQueries } from './analysis-queries';
import { HookRunQueries } from './hook-run-queries';
import { IngestQueries } from './ingest-queries';
import { jsonColumn, numberColumn, optionalTime, timeColumn } from './executor';
import type {
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
import type { StoreWriter } from './store';

const MAX_PAGE = 10_000;

function pageOf(page: Page): [number, number] {
  return [Math.min(page.limit ?? 100, MAX_PAGE), page.offset ?? 0];
}

function toEntity(row: Row): EntityRecord {
  return {
    id: String(row.id),
    type: String(row.type),
    environment: String(row.environment),
    key: row.key === null || row.key === undefined ? null : String(row.key),
    data: jsonColumn<JsonObject>(row.data),
    createdAt: timeColumn(row.created_at),
    updatedAt: timeColumn(row.updated_at),
  };
}

function toLogEntry(row: Row): LogEntry {
  return {
    seq: numberColumn(row.seq),
    type: String(row.type),
    entityType: String(row.entity_type),
    entityId: String(row.entity_id),
    environment: String(row.environment),
    at: timeColumn(row.at),
    actor: String(row.actor),
    payload: jsonColumn<JsonObject>(row.payload),
    state: row.state === null ? null : jsonColumn<JsonObject>(row.state),
  };
}

function toKey(row: Row): KeyRecord {
  return {
    id: String(row.id),
    prefix: String(row.prefix),
    kind: String(row.kind) as KeyKind,
    environment: row.environment === null ? null : String(row.environment),
    hash: String(row.hash),
    name: row.name === null ? null : String(row.name),
    createdAt: timeColumn(row.created_at),
    revokedAt: optionalTime(row.revoked_at),
  };
}

function toEvent(row: Row): StoredEvent {
  return {
    id: String(row.id),
    environment: String(row.environment),
    type: String(row.type),
    unit: row.unit === null ? null : String(row.unit),
    timestamp: numberColumn(row.timestamp),
    receivedAt: timeColumn(row.received_at),
    properties: jsonColumn<JsonObject>(row.properties),
  };
}

function toMetricPoint(row: Row): MetricPoint {
  return {
    id: String(row.id),
    environment: String(row.environment),
    name: String(row.name),
    value: numberColumn(row.value),
    dimensions: jsonColumn<JsonObject>(row.dimensions),
    at: timeColumn(row.at),
  };
}

function toDelivery(row: Row): DeliveryRecord {
  return {
    id: String(row.id),
    webhookId: String(row.webhook_id),
    seq: numberColumn(row.seq),
    eventType: String(row.event_type),
    status: String(row.status) as DeliveryStatus,
    attempts: numberColumn(row.attempts),
    nextAttemptAt: timeColumn(row.next_attempt_at),
    lastStatus: row.last_status === null ? null : numberColumn(row.last_status),
    lastError: row.last_error === null ? null : String(row.last_error),
    createdAt: timeColumn(row.created_at),
    updatedAt: timeColumn(row.updated_at),
    deliveredAt: optionalTime(row.delivered_at),
  };
}

/**
 * The store's reads and writes in SQL both engines understand, over one connection.
 * The engine decides the transaction around it; this class only records the log rows it
 * appended, so the engine can announce them after commit.
 */
export class SqlQueries implements StoreWriter {
  /** Log rows appended through this instance (i.e. in its transaction). */
  readonly appended: LogEntry[] = [];
  readonly ingest: IngestQueries;
  readonly analysis: AnalysisQueries;
  readonly hookRuns: HookRunQueries;

  constructor(private readonly db: Executor) {
    this.ingest = new IngestQueries(db);
    this.analysis = new AnalysisQueries(db);
    this.hookRuns = new HookRunQueries(db);
  }

  async getEntity(type: string, environment: string, id: string): Promise<EntityRecord | null> {
    const rows = await this.db.all(
      'SELECT * FROM entities WHERE id = ? AND type = ? AND environment = ?',
      [id, type, environment],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async getEntityByKey(
    type: string,
    environment: string,
    key: string,
  ): Promise<EntityRecord | null> {
    const rows = await this.db.all(
      'SELECT * FROM entities WHERE type = ? AND environment = ? AND key = ?',
      [type, environment, key],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  async listEntities(type: string, environment: string): Promise<EntityRecord[]> {
    const rows = await this.db.all(
      'SELECT * FROM entities WHERE type = ? AND environment = ? ORDER BY created_at, id',
      [type, environment],
    );
    return rows.map(toEntity);
  }

  async entityStatesAsOf(type: string, environment: string, at: string): Promise<JsonObject[]> {
    // The last log row of each entity at or before `at` holds its state then (null: deleted).
    const rows = await this.db.all(
      `SELECT state FROM domain_log WHERE seq IN (
         SELECT MAX(seq) FROM domain_log
         WHERE entity_type = ? AND environment = ? AND at <= ?
         GROUP BY entity_id)
       ORDER BY seq`,
      [type, environment, at],
    );
    return rows.filter((r) => r.state !== null).map((r) => jsonColumn<JsonObject>(r.state));
  }

  async readLog(query: LogQuery): Promise<LogEntry[]> {
    const where: string[] = ['seq > ?'];
    const params: unknown[] = [query.after ?? 0];
    if (query.environment !== undefined) {
      where.push('environment = ?');
      params.push(query.environment);
    }
    if (query.entityType !== undefined) {
      where.push('entity_type = ?');
      params.push(query.entityType);
    }
    if (query.entityId !== undefined) {
      where.push('entity_id = ?');
      params.push(query.entityId);
    }
    if (query.types !== undefined && query.types.length > 0) {
      where.push(`type IN (${query.types.map(() => '?').join(', ')})`);
      params.push(...query.types);
    }
    params.push(Math.min(query.limit ?? 1000, MAX_PAGE));
    const rows = await this.db.all(
      `SELECT * FROM domain_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      params,
    );
    return rows.map(toLogEntry);
  }

  async latestSeq(): Promise<number> {
    const rows = await this.db.all('SELECT MAX(seq) AS seq FROM domain_log');
    const seq = rows[0]?.seq;
    return seq === null || seq === undefined ? 0 : numberColumn(seq);
  }

  async latestSeqOf(environment: string, entityTypes: readonly string[]): Promise<number> {
    if (entityTypes.length === 0) return 0;
    const rows = await this.db.all(
      `SELECT MAX(seq) AS seq FROM domain_log
       WHERE environment = ? AND entity_type IN (${entityTypes.map(() => '?').join(', ')})`,
      [environment, ...entityTypes],
    );
    const seq = rows[0]?.seq;
    return seq === null || seq === undefined ? 0 : numberColumn(seq);
  }

  async listEnvironments(): Promise<string[]> {
    const rows = await this.db.all('SELECT name FROM environments ORDER BY created_at, name');
    return rows.map((r) => String(r.name));
  }

  async listKeys(): Promise<KeyRecord[]> {
    return (await this.db.all('SELECT * FROM api_keys ORDER BY created_at, id')).map(toKey);
  }

  async keysByPrefix(prefix: string): Promise<KeyRecord[]> {
    return (await this.db.all('SELECT * FROM api_keys WHERE prefix = ?', [prefix])).map(toKey);
  }

  async getEvent(id: string): Promise<StoredEvent | null> {
    const rows = await this.db.all('SELECT * FROM events WHERE id = ?', [id]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  /**
   * An environment's events in the order they were stored (or the newest first): by receipt
   * (SQLite's rowid grows with each insert, and ingestion's transactions take turns; PostgreSQL
   * by its index of receipt).
   */
  async listEvents(environment: string, page: Page, newestFirst = false): Promise<StoredEvent[]> {
    const by = this.db.dialect === 'sqlite' ? ['rowid'] : ['received_at', 'id'];
    const order = by.map((column) => (newestFirst ? `${column} DESC` : column)).join(', ');
    const rows = await this.db.all(
      `SELECT * FROM events WHERE environment = ? ORDER BY ${order} LIMIT ? OFFSET ?`,
      [environment, ...pageOf(page)],
    );
    return rows.map(toEvent);
  }

  async listMetricPoints(
    environment: string,
    name: string | undefined,
    page: Page,
  ): Promise<MetricPoint[]> {
    const byName = name === undefined ? '' : ' AND name = ?';
    const rows = await this.db.all(
      `SELECT * FROM metric_points WHERE environment = ?${byName} ORDER BY at, id LIMIT ? OFFSET ?`,
      [environment, ...(name === undefined ? [] : [name]), ...pageOf(page)],
    );
    return rows.map(toMetricPoint);
  }

  async getCursor(name: string): Promise<number | null> {
    const rows = await this.db.all('SELECT seq FROM cursors WHERE name = ?', [name]);
    return rows[0] ? numberColumn(rows[0].seq) : null;
  }

  async listDeliveries(webhookId: string, page: Page): Promise<DeliveryRecord[]> {
    const rows = await this.db.all(
      'SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?',
      [webhookId, ...pageOf(page)],
    );
    return rows.map(toDelivery);
  }

  async dueDeliveries(now: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.all(
      `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, seq LIMIT ?`,
      [now, limit],
    );
    return rows.map(toDelivery);
  }

  async getMeta(key: string): Promise<string | null> {
    const rows = await this.db.all('SELECT value FROM meta WHERE key = ?', [key]);
    return rows[0] ? String(rows[0].value) : null;
  }

  async putEntity(r: EntityRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO entities (id, type, environment, key, data, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key = excluded.key, data = excluded.data,
         updated_at = excluded.updated_at`,
      [r.id, r.type, r.environment, r.key, JSON.stringify(r.data), r.createdAt, r.updatedAt],
    );
  }

  async deleteEntity(type: string, environment: string, id: string): Promise<void> {
    await this.db.run('DELETE FROM entities WHERE id = ? AND type = ? AND environment = ?', [
      id,
      type,
      environment,
    ]);
  }

  async appendLog(e: NewLogEntry): Promise<LogEntry> {
    // Writers are serialized by the engine, so MAX + 1 is gap-free even after a rollback.
    const rows = await this.db.all(
      `INSERT INTO domain_log (seq, type, entity_type, entity_id, environment, at, actor, payload, state)
       VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM domain_log), ?, ?, ?, ?, ?, ?, ?, ?)
       RETURNING seq`,
      [
        e.type,
        e.entityType,
        e.entityId,
        e.environment,
        e.at,
        e.actor,
        JSON.stringify(e.payload),
        e.state === null ? null : JSON.stringify(e.state),
      ],
    );
    const entry: LogEntry = { seq: numberColumn(rows[0]?.seq), ...e };
    this.appended.push(entry);
    return entry;
  }

  async insertEnvironment(name: string, at: string): Promise<void> {
    await this.db.run(
      'INSERT INTO environments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
      [name, at],
    );
  }

  async insertKey(k: KeyRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO api_keys (id, prefix, kind, environment, hash, name, created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [k.id, k.prefix, k.kind, k.environment, k.hash, k.name, k.createdAt, k.revokedAt],
    );
  }

  async revokeKey(id: string, at: string): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      [at, id],
    );
    return changed > 0;
  }

  async insertEvent(e: StoredEvent): Promise<boolean> {
    const { properties, ...row } = e;
    const [stored] = await this.ingest.insertEvents([
      { ...row, propertiesJson: JSON.stringify(properties) },
    ]);
    return stored === true;
  }

  async insertMetricPoint(p: MetricPoint): Promise<void> {
    await this.db.run(
      `INSERT INTO metric_points (id, environment, name, value, dimensions, at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [p.id, p.environment, p.name, p.value, JSON.stringify(p.dimensions), p.at],
    );
  }

  async setCursor(name: string, seq: number): Promise<void> {
    await this.db.run(
      'INSERT INTO cursors (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq',
      [name, seq],
    );
  }

  async putDelivery(d: DeliveryRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO webhook_deliveries (id, webhook_id, seq, event_type, status, attempts,
         next_attempt_at, last_status, last_error, created_at, updated_at, delivered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
         next_attempt_at = excluded.next_attempt_at, last_status = excluded.last_status,
         last_error = excluded.last_error, updated_at = excluded.updated_at,
         delivered_at = excluded.delivered_at`,
      [
        d.id,
        d.webhookId,
        d.seq,
        d.eventType,
        d.status,
        d.attempts,
        d.nextAttemptAt,
        d.lastStatus,
        d.lastError,
        d.createdAt,
        d.updatedAt,
        d.deliveredAt,
      ],
    );
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.run(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }
}
