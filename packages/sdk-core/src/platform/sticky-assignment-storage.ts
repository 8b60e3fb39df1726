/** A unit's kept variant in one experiment. */
export interface StickyAssignment {
  experiment: string;
  unit: string;
  variant: string;
}

/**
 * Keeps sticky assignments across restarts (IndexedDB in browsers). What `load` returns is
 * validated before use.
 */
export interface StickyAssignmentStorage {
  /** Every stored assignment. */
  load(): Promise<unknown[]>;
  /** Stores one assignment, replacing the unit's earlier one in the same experiment. */
  set(assignment: StickyAssignment): Promise<void>;
  /** Forgets every assignment of these experiments. */
  removeExperiments(experiments: readonly string[]): Promise<void>;
}

/** A `StickyAssignmentStorage` held in memory, for as long as the object lives. */
export class MemoryStickyAssignmentStorage implements StickyAssignmentStorage {
  #entries = new Map<string, StickyAssignment>();

  async load(): Promise<unknown[]> {
    return [...this.#entries.values()];
  }

  async set(assignment: StickyAssignment): Promise<void> {
    this.#entries.set(JSON.stringify([assignment.experiment, assignment.unit]), { ...assignment });
  }

  async removeExperiments(experiments: readonly string[]): Promise<void> {
    for (const [key, entry] of this.#entries)
      if (experiments.includes(entry.experiment)) this.#entries.delete(key);
  }
}
