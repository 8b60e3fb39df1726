/** Default number of (unit, experiment, variant) triples an {@link ExposureDeduper} remembers. */
export const DEFAULT_DEDUPER_CAPACITY = 10_000;

/**
 * Remembers which exposures were already logged so an SDK sends each (unit, experiment,
 * variant) once, not on every flag read. Bounded: past `capacity` entries the least recently
 * seen one is forgotten (so it may be logged again, which ingestion tolerates).
 */
export class ExposureDeduper {
  readonly capacity: number;
  // A Map iterates in insertion order; re-inserting on every hit keeps the oldest first.
  private readonly entries = new Map<string, true>();

  /** @throws RangeError when `capacity` is not a positive integer. */
  constructor(capacity: number = DEFAULT_DEDUPER_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ExposureDeduper: capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** False the first time a triple is seen (log it), true while it is still remembered. */
  seen(unit: string, experiment: string, variant: string): boolean {
    // Length prefixes keep ('a:b', 'c') and ('a', 'b:c') apart whatever the strings contain.
    const key = `${unit.length}:${unit}${experiment.length}:${experiment}${variant}`;
    if (this.entries.delete(key)) {
      this.entries.set(key, true);
      return true;
    }
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return false;
  }

  /** How many triples are remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets everything, e.g. when the user changes. */
  clear(): void {
    this.entries.clear();
  }
}
