import type { LogEntry } from './records';

/**
 * The PostgreSQL NOTIFY channel on which write transactions announce the log rows they commit,
 * one per schema (so servers on other schemas of the same database do not wake each other).
 */
export function commitChannel(schema?: string): string {
  const suffix = schema === undefined ? '' : `_${schema.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  return `switchyard_log${suffix}`.slice(0, 63);
}

/** What a commit announces: its last log seq and the environments its rows belong to. */
export interface CommitNotice {
  seq: number;
  environments: string[];
}

/** The NOTIFY payload of a commit that appended `entries` (never empty). */
export function commitNotice(entries: readonly LogEntry[]): string {
  const notice: CommitNotice = {
    seq: entries[entries.length - 1]!.seq,
    environments: [...new Set(entries.map((e) => e.environment))],
  };
  return JSON.stringify(notice);
}
