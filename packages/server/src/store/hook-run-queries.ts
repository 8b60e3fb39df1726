import type { Executor, Row } from './executor';
import { jsonColumn, numberColumn, timeColumn } from './executor';

/** Whether an after-hook run is still to be done or gave up after its last attempt. */
export type HookRunStatus = 'pending' | 'failed';

/**
 * One in-process after-hook still owed for one domain event: written in the verb's transaction,
 * removed once the hook succeeded. `version` moves on every claim and outcome, so an attempt
 * only records its outcome if nobody claimed the run since (another instance, after the lease).
 */
export interface HookRun {
  /** The domain event's seq. */
  seq: number;
  /** The hook's stable name: `Experiment.concluded#1`, `Experiment.concluded#rollout-winner`. */
  hook: string;
  status: HookRunStatus;
  attempts: number;
  version: number;
  /** ISO time the run is due (or its claim expires). */
  nextAttemptAt: string;
  /** The verb's result, handed to the hook. */
  result: unknown;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A run as the verb's transaction writes it. */
export type NewHookRun = Omit<HookRun, 'status' | 'attempts' | 'version' | 'lastError'>;

/** What one attempt ended with. */
export interface HookRunOutcome {
  status: HookRunStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string;
  at: string;
}

/** Reads of the after-hook runs. */
export interface HookRunReader {
  /** Pending runs of these hooks due at `now` (ISO), oldest first. */
  dueHookRuns(hooks: readonly string[], now: string, limit: number): Promise<HookRun[]>;
  /** The runs in a status (all when undefined), in seq order. */
  listHookRuns(status?: HookRunStatus): Promise<HookRun[]>;
}

/** Writes of the after-hook runs. */
export interface HookRunWriter extends HookRunReader {
  insertHookRuns(runs: readonly NewHookRun[]): Promise<void>;
  /** Takes a pending run at `version` until `until`; false when someone else moved it. */
  claimHookRun(seq: number, hook: string, version: number, until: string): Promise<boolean>;
  /** Records a failed attempt of the claim at `version`; false when the claim was lost. */
  failHookRun(
    seq: number,
    hook: string,
    version: number,
    outcome: HookRunOutcome,
  ): Promise<boolean>;
  /** Removes a run whose hook succeeded. */
  deleteHookRun(seq: number, hook: string): Promise<void>;
}

function toHookRun(row: Row): HookRun {
  return {
    seq: numberColumn(row.seq),
    hook: String(row.hook),
    status: String(row.status) as HookRunStatus,
    attempts: numberColumn(row.attempts),
    version: numberColumn(row.version),
    nextAttemptAt: timeColumn(row.next_attempt_at),
    // Wrapped, so a scalar result survives PostgreSQL's jsonb the same as SQLite's text.
    result: jsonColumn<{ value?: unknown }>(row.result).value ?? null,
    lastError: row.last_error === null ? null : String(row.last_error),
    createdAt: timeColumn(row.created_at),
    updatedAt: timeColumn(row.updated_at),
  };
}

/** The after-hook runs' SQL, the same on both engines. */
export class HookRunQueries implements HookRunWriter {
  constructor(private readonly db: Executor) {}

  async dueHookRuns(hooks: readonly string[], now: string, limit: number): Promise<HookRun[]> {
    if (hooks.length === 0) return [];
    const rows = await this.db.all(
      `SELECT * FROM hook_runs WHERE status = 'pending' AND next_attempt_at <= ?
       AND hook IN (${hooks.map(() => '?').join(', ')}) ORDER BY next_attempt_at, seq LIMIT ?`,
      [now, ...hooks, limit],
    );
    return rows.map(toHookRun);
  }

  async listHookRuns(status?: HookRunStatus): Promise<HookRun[]> {
    const rows = await this.db.all(
      `SELECT * FROM hook_runs${status === undefined ? '' : ' WHERE status = ?'} ORDER BY seq, hook`,
      status === undefined ? [] : [status],
    );
    return rows.map(toHookRun);
  }

  async insertHookRuns(runs: readonly NewHookRun[]): Promise<void> {
    await this.db.runEach(
      `INSERT INTO hook_runs (seq, hook, status, attempts, version, next_attempt_at, result,
         last_error, created_at, updated_at) VALUES (?, ?, 'pending', 0, 0, ?, ?, NULL, ?, ?)`,
      runs.map((r) => [
        r.seq,
        r.hook,
        r.nextAttemptAt,
        JSON.stringify({ value: r.result ?? null }),
        r.createdAt,
        r.updatedAt,
      ]),
    );
  }

  async claimHookRun(seq: number, hook: string, version: number, until: string): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE hook_runs SET version = version + 1, next_attempt_at = ?
       WHERE seq = ? AND hook = ? AND version = ? AND status = 'pending'`,
      [until, seq, hook, version],
    );
    return changed === 1;
  }

  async failHookRun(
    seq: number,
    hook: string,
    version: number,
    outcome: HookRunOutcome,
  ): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE hook_runs SET version = version + 1, status = ?, attempts = ?, next_attempt_at = ?,
         last_error = ?, updated_at = ? WHERE seq = ? AND hook = ? AND version = ?`,
      [
        outcome.status,
        outcome.attempts,
        outcome.nextAttemptAt,
        outcome.lastError,
        outcome.at,
        seq,
        hook,
        version,
      ],
    );
    return changed === 1;
  }

  async deleteHookRun(seq: number, hook: string): Promise<void> {
    await this.db.run('DELETE FROM hook_runs WHERE seq = ? AND hook = ?', [seq, hook]);
  }
}
