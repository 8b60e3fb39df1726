import type { ConfigSnapshot } from '@switchyard/core/schema';
import type { LogEntry } from '../store/records';
import type { ConfigStep, ConfigView } from './change-history';
import { ChangeHistory } from './change-history';
import type { EnvironmentConfig } from './environment-config';
import { PreparedFrame } from './prepared-frame';

/** What one view of one version looks like, serialized once and kept until the next version. */
interface Rendered {
  version: number;
  body?: string;
  snapshot?: PreparedFrame;
  upToDate?: PreparedFrame;
  /** Deltas from earlier versions: after a blip, many clients resume from the same one. */
  resumes?: Map<number, PreparedFrame>;
}

/**
 * One environment as the sync hub and `/v1/config` serve it: its config, its recent history, and
 * the serialized forms of its current version (the snapshot body for HTTP, the snapshot frame and
 * the empty "you are up to date" delta for sockets), built once per version and view.
 */
export class EnvironmentFeed {
  readonly #history: ChangeHistory;
  readonly #rendered: Record<ConfigView, Rendered> = {
    server: { version: -1 },
    client: { version: -1 },
  };

  constructor(
    readonly config: EnvironmentConfig,
    /** The log position the config was read at: rows up to it are already in. */
    readonly loadedAt: number,
    historySize: number,
  ) {
    this.#history = new ChangeHistory(historySize);
  }

  get environment(): string {
    return this.config.environment;
  }

  get version(): number {
    return this.config.version;
  }

  /** Applies new log rows; answers the step they make, if any. */
  apply(entries: readonly LogEntry[]): ConfigStep | null {
    const step = this.config.apply(entries.filter((e) => e.seq > this.loadedAt));
    if (step) this.#history.push(step);
    return step;
  }

  snapshot(view: ConfigView): ConfigSnapshot {
    return this.config.snapshot(view);
  }

  /** The entity tag of the current version for a view (client and server views differ). */
  etag(view: ConfigView): string {
    return `"${this.environment}.${this.version}.${view}"`;
  }

  /** The snapshot as the JSON body of `GET /v1/config`. */
  body(view: ConfigView): string {
    const r = this.#current(view);
    return (r.body ??= JSON.stringify(this.snapshot(view)));
  }

  /** The `snapshot` message frame. */
  snapshotFrame(view: ConfigView): PreparedFrame {
    const r = this.#current(view);
    return (r.snapshot ??= PreparedFrame.of({ type: 'snapshot', ...this.snapshot(view) }));
  }

  /**
   * The answer to `hello { since }`: nothing missed → an empty delta at the current version;
   * `since` within the history → one delta with the changes since then; else the snapshot.
   */
  helloFrame(view: ConfigView, since: number | undefined): PreparedFrame {
    if (since === undefined) return this.snapshotFrame(view);
    const version = this.version;
    if (since === version) {
      const r = this.#current(view);
      return (r.upToDate ??= PreparedFrame.of({
        type: 'delta',
        from: version,
        to: version,
        changes: [],
      }));
    }
    const r = this.#current(view);
    const known = r.resumes?.get(since);
    if (known) return known;
    const changes = since < version ? this.#history.changesSince(since, view) : undefined;
    if (changes === undefined) return this.snapshotFrame(view);
    const frame = PreparedFrame.of({ type: 'delta', from: since, to: version, changes });
    (r.resumes ??= new Map()).set(since, frame);
    return frame;
  }

  /** The frame of a step's delta for a view. */
  static stepFrame(step: ConfigStep, view: ConfigView): PreparedFrame {
    return PreparedFrame.of({
      type: 'delta',
      from: step.from,
      to: step.to,
      changes: [...step.changes[view]],
    });
  }

  #current(view: ConfigView): Rendered {
    const version = this.version;
    if (this.#rendered[view].version !== version) this.#rendered[view] = { version };
    return this.#rendered[view];
  }
}
