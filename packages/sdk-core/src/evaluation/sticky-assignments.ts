import { DEFAULT_UNIT, unitOf } from '@switchyard/core';
import type { EvaluationContext } from '@switchyard/core';
import type { ConfigSnapshot, ExperimentConfig } from '@switchyard/core/schema';
import { withDependents } from '../config/changed-keys';
import type { ConfigChangeEvent, ConfigStore } from '../config/config-store';
import { MemoryStickyAssignmentStorage } from '../platform/sticky-assignment-storage';
import type {
  StickyAssignment,
  StickyAssignmentStorage,
} from '../platform/sticky-assignment-storage';

/** Statuses from which an experiment never assigns again: its kept variants are forgotten. */
const ENDED: ReadonlySet<string> = new Set(['Concluded', 'Stopped', 'Archived']);

/**
 * Sticky assignments: once a read places a unit in a running experiment, the unit keeps that
 * variant even when the weights change later. Evaluation stays core's: `view` hands core a
 * snapshot in which every experiment the unit is kept in offers only the kept variant, so the
 * audience, layer and traffic allocation still decide whether the unit is in, and flags that
 * delegate to the experiment serve the kept variant's value. A kept variant that the experiment
 * no longer has gives way to the unit's new assignment.
 *
 * Opt-in, so that clients without it do not carry it: pass one as the client option
 * `stickyAssignments`, e.g. `new StickyAssignments()` (kept in memory) or
 * `new StickyAssignments((key) => storageOf(key))` for storage per client key.
 */
export class StickyAssignments {
  /** Where storage failures go; the client sets it to its error reporting. */
  onError: (error: unknown) => void = () => {};
  /** experiment → unit → variant */
  #kept = new Map<string, Map<string, string>>();
  /** Recorded before the stored ones were loaded: written once they are, unless overruled. */
  #early: StickyAssignment[] | undefined = [];
  #pinned = new WeakMap<ExperimentConfig, Map<string, ExperimentConfig>>();
  #views = new WeakMap<ConfigSnapshot, Map<string, ConfigSnapshot>>();
  #storage: StickyAssignmentStorage | undefined;

  /** @param storage Where kept variants live, or how to make that storage for a client key. */
  constructor(
    private readonly storage:
      | StickyAssignmentStorage
      | ((key: string) => StickyAssignmentStorage) = new MemoryStickyAssignmentStorage(),
  ) {}

  /**
   * Loads the stored assignments of client key `key`, which win over those recorded meanwhile
   * (they are what the unit saw first). Resolves with the experiments that have stored
   * assignments. The client calls it once, at its start.
   */
  async load(key: string): Promise<string[]> {
    const storage = (this.#storage =
      typeof this.storage === 'function' ? this.storage(key) : this.storage);
    let stored: unknown[] = [];
    try {
      stored = await storage.load();
    } catch (error) {
      this.onError(error);
    }
    const early = this.#early ?? [];
    this.#early = undefined;
    const experiments = new Set<string>();
    for (const a of stored) {
      if (!isAssignment(a)) continue;
      this.#units(a.experiment).set(a.unit, a.variant);
      experiments.add(a.experiment);
    }
    for (const a of early)
      if (this.#kept.get(a.experiment)?.get(a.unit) === a.variant) this.#write(a);
    return [...experiments];
  }

  /**
   * Ties these assignments to a client at its start: storage failures go to `onError`, kept
   * variants of experiments that end are forgotten as the server's configs come in, and the
   * stored assignments of client key `key` are loaded. Resolves with the change a reader of
   * `config` may see because of them (only a bootstrap config can have been read without them),
   * if any.
   */
  async start(
    key: string,
    config: ConfigStore,
    onError: (error: unknown) => void,
  ): Promise<ConfigChangeEvent | undefined> {
    this.onError = onError;
    config.subscribe(({ source }) => source === 'server' && this.prune(config.snapshot!));
    const experiments = await this.load(key);
    const snapshot = config.snapshot;
    if (experiments.length && snapshot) {
      const { version } = snapshot;
      return {
        ...withDependents(snapshot, new Set(), new Set(experiments), new Set()),
        version,
        source: 'cache',
        previousVersion: version,
      };
    }
  }

  /** `unit` was served `variant` by running experiment `experiment`: it keeps it from now on. */
  record(unit: string, experiment: string, variant: string): void {
    const units = this.#units(experiment);
    if (units.get(unit) === variant) return;
    units.set(unit, variant);
    const assignment = { experiment, unit, variant };
    if (this.#early) this.#early.push(assignment);
    else this.#write(assignment);
  }

  /** The snapshot to evaluate `context` against: `snapshot` with the context's kept variants pinned. */
  view(snapshot: ConfigSnapshot, context: EvaluationContext): ConfigSnapshot {
    if (this.#kept.size === 0) return snapshot;
    const pins: Array<[string, ExperimentConfig]> = [];
    let signature = '';
    for (const [id, units] of this.#kept) {
      const experiment = Object.hasOwn(snapshot.experiments, id)
        ? snapshot.experiments[id]
        : undefined;
      if (experiment?.status !== 'Running') continue;
      const unit = unitOf(context, experiment.unit ?? DEFAULT_UNIT);
      const variant = unit === undefined ? undefined : units.get(unit);
      const pinned = variant === undefined ? undefined : this.#pin(experiment, variant);
      if (pinned === undefined) continue;
      pins.push([id, pinned]);
      signature += JSON.stringify([id, variant]);
    }
    if (pins.length === 0) return snapshot;
    // Views are shared by every context with the same pins, so core's compiled forms stay cached.
    let views = this.#views.get(snapshot);
    if (!views) this.#views.set(snapshot, (views = new Map()));
    let view = views.get(signature);
    if (!view) {
      const experiments = { ...snapshot.experiments };
      for (const [id, pinned] of pins) {
        Object.defineProperty(experiments, id, {
          value: pinned,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      views.set(signature, (view = { ...snapshot, experiments }));
    }
    return view;
  }

  /** Forgets the kept variants of experiments that ended or left the config. */
  prune(snapshot: ConfigSnapshot): void {
    const ended = [...this.#kept.keys()].filter((id) => {
      const experiment = Object.hasOwn(snapshot.experiments, id)
        ? snapshot.experiments[id]
        : undefined;
      return experiment === undefined || ENDED.has(experiment.status);
    });
    if (ended.length === 0) return;
    for (const id of ended) this.#kept.delete(id);
    this.#storage?.removeExperiments(ended).catch(this.onError);
  }

  #units(experiment: string): Map<string, string> {
    let units = this.#kept.get(experiment);
    if (!units) this.#kept.set(experiment, (units = new Map()));
    return units;
  }

  #pin(experiment: ExperimentConfig, variant: string): ExperimentConfig | undefined {
    let byVariant = this.#pinned.get(experiment);
    if (!byVariant) this.#pinned.set(experiment, (byVariant = new Map()));
    let pinned = byVariant.get(variant);
    if (!pinned) {
      const kept = experiment.variants.find((v) => v.key === variant);
      if (kept === undefined) return undefined;
      byVariant.set(variant, (pinned = { ...experiment, variants: [kept] }));
    }
    return pinned;
  }

  #write(assignment: StickyAssignment): void {
    this.#storage?.set(assignment).catch(this.onError);
  }
}

function isAssignment(value: unknown): value is StickyAssignment {
  const a = value as Partial<StickyAssignment> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.experiment === 'string' &&
    typeof a.unit === 'string' &&
    typeof a.variant === 'string'
  );
}
