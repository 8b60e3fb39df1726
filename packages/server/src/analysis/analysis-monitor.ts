import type { Experiment } from '../entities/experiment/schema';
import type { IngestListener } from '../ingest/ingestor';
import type { Switchyard } from '../service/switchyard';
import type { LogEntry } from '../store/records';
import { Mutex } from '../store/mutex';
import { considerConclusion } from './auto-conclusion';
import type { ConclusionOutcome } from './auto-conclusion';
import { flagOfGuardedKey } from './guarded-flags';
import { watchGuards } from './guard-watch';

/** How the analysis monitor paces itself. */
export interface AnalysisMonitorOptions {
  /**
   * Least time between two analyses of one experiment (or guarded flag), ms (default 1000):
   * analyses follow ingestion commits, but at most this often per experiment, never per event.
   */
  minIntervalMs?: number;
  /**
   * How often every Running experiment and every guarded workflow is analysed anyway, ms
   * (default 30,000): the safety net for commits of other instances and for missed signals.
   */
  sweepMs?: number;
  /** false: no sweep timer (tests call `sweep`); analyses after commits still run. Default true. */
  timer?: boolean;
  /** Hears each experiment analysed (for metrics). */
  onConclusion?: (outcome: ConclusionOutcome['kind']) => void;
}

/** Ingestion as the monitor follows it: who commits what. */
interface Source {
  onCommit(listener: IngestListener): () => void;
}

interface Slot {
  lastRunMs: number;
  timer: NodeJS.Timeout | undefined;
}

/** The experiment a committed log row asks to look at again, if any. */
function experimentOfEntry(entry: LogEntry): string | undefined {
  if (entry.type === 'event.created') {
    const experiment = (entry.state?.properties as Record<string, unknown> | undefined)?.experiment;
    return typeof experiment === 'string' ? experiment : undefined;
  }
  const relevant = ['experiment.started', 'experiment.resumed', 'experiment.updated'];
  return relevant.includes(entry.type) ? entry.entityId : undefined;
}

/**
 * Watches the statistics while they change: after ingestion commits (and admin `Event.create`s),
 * each experiment whose aggregates moved is analysed, at most once per `minIntervalMs`; a sweep
 * on a timer analyses every Running experiment and guarded workflow anyway. Analysing an
 * experiment records a look, logs sample-ratio-mismatch changes and auto-concludes it when due
 * (`considerConclusion`); analysing a guarded flag's rollout stage checks the guards that watch it
 * (`watchGuards`). Analyses run one at a time. Across instances each analyses what it ingested,
 * and the sweeps cover the rest; the verbs' own checks make a second conclusion or rollback a
 * no-op.
 */
export class AnalysisMonitor {
  readonly #mutex = new Mutex();
  readonly #slots = new Map<string, Slot>();
  readonly #running = new Set<Promise<unknown>>();
  readonly #minIntervalMs: number;
  readonly #sweepMs: number;
  readonly #useTimer: boolean;
  readonly #onConclusion: (outcome: ConclusionOutcome['kind']) => void;
  readonly #stops: (() => void)[] = [];
  #sweepTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly sy: Switchyard,
    options: AnalysisMonitorOptions = {},
  ) {
    this.#minIntervalMs = options.minIntervalMs ?? 1000;
    this.#sweepMs = options.sweepMs ?? 30_000;
    this.#useTimer = options.timer ?? true;
    this.#onConclusion = options.onConclusion ?? (() => undefined);
  }

  /** Follows `ingestion`'s commits and the domain log, and starts the sweep timer. */
  start(ingestion?: Source): void {
    if (this.#closed || this.#stops.length > 0) return;
    if (ingestion) {
      this.#stops.push(
        ingestion.onCommit((touched) => {
          for (const [id, environment] of touched) this.touch(environment, id);
        }),
      );
    }
    this.#stops.push(
      this.sy.store.onCommit((entries) => {
        for (const entry of entries) {
          const id = experimentOfEntry(entry);
          if (id !== undefined) this.touch(entry.environment, id);
        }
      }),
    );
    if (this.#useTimer) {
      this.#sweepTimer = setInterval(() => this.#track(this.sweep()), this.#sweepMs);
      this.#sweepTimer.unref();
    }
  }

  /**
   * Asks for an analysis of experiment `id` (or of the guarded flag stage `id`) in
   * `environment`: soon, but not sooner than `minIntervalMs` after its last one.
   */
  touch(environment: string, id: string): void {
    if (this.#closed) return;
    const key = `${environment}\u0000${id}`;
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { lastRunMs: -Infinity, timer: undefined };
      this.#slots.set(key, slot);
    }
    if (slot.timer) return;
    const wait = Math.max(0, slot.lastRunMs + this.#minIntervalMs - Date.now());
    const current = slot;
    current.timer = setTimeout(() => {
      current.timer = undefined;
      current.lastRunMs = Date.now();
      this.#track(this.analyze(environment, id));
    }, wait);
    current.timer.unref();
  }

  /** Analyses one experiment or guarded flag stage now (after the analyses under way). */
  analyze(environment: string, id: string): Promise<void> {
    return this.#mutex.run(async () => {
      if (this.#closed) return;
      const flag = flagOfGuardedKey(id);
      if (flag !== undefined) await watchGuards(this.sy, environment, flag);
      else this.#concluded(await considerConclusion(this.sy, environment, id), environment, id);
    });
  }

  /** Analyses every Running experiment and checks every guard, in every environment. */
  sweep(): Promise<void> {
    return this.#mutex.run(async () => {
      const environments = await this.sy.store.read((r) => r.listEnvironments());
      for (const environment of environments) {
        if (this.#closed) return;
        const running = await this.sy.store.read(async (r) =>
          (await r.listEntities('Experiment', environment))
            .map((x) => x.data as Experiment)
            .filter((e) => e.status === 'Running'),
        );
        for (const experiment of running) {
          if (this.#closed) return;
          const outcome = await considerConclusion(this.sy, environment, experiment.$id);
          this.#concluded(outcome, environment, experiment.$id);
        }
        await watchGuards(this.sy, environment);
      }
      this.#forgetIdleSlots();
    });
  }

  /** Resolves once no analysis is waiting or running. */
  async idle(): Promise<void> {
    for (;;) {
      const waiting = [...this.#slots.values()].some((s) => s.timer !== undefined);
      if (!waiting && this.#running.size === 0) return;
      await Promise.allSettled([...this.#running]);
      if (waiting) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops listening and waiting; an analysis under way finishes first. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of this.#stops.splice(0)) stop();
    clearInterval(this.#sweepTimer);
    for (const slot of this.#slots.values()) clearTimeout(slot.timer);
    this.#slots.clear();
    await Promise.allSettled([...this.#running]);
  }

  #concluded(outcome: ConclusionOutcome, environment: string, id: string): void {
    this.#onConclusion(outcome.kind);
    const detail = { environment, experiment: id };
    if (outcome.kind === 'concluded') {
      this.sy.logger.info({ ...detail, ...outcome }, 'experiment auto-concluded');
    } else if (outcome.kind === 'refused') {
      this.sy.logger.warn({ ...detail, err: outcome.error.message }, 'auto-conclusion refused');
    }
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.sy.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'analysis failed',
      ),
    );
    this.#running.add(tracked);
    void tracked.finally(() => this.#running.delete(tracked));
  }

  #forgetIdleSlots(): void {
    const old = Date.now() - this.#minIntervalMs;
    for (const [key, slot] of this.#slots) {
      if (slot.timer === undefined && slot.lastRunMs < old) this.#slots.delete(key);
    }
  }
}
