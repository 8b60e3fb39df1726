/** Default number of (unit, experiment, variant) triples an {@link ExposureDeduper} remembers. */
export const DEFAULT_DEDUPER_CAPACITY = 10_000;

/**
 * Remembers which exposures were already logged so an SDK sends each (unit, experiment,
 * variant) once, not on every flag read. Bounded: past `capacity` entries the least recently
 * seen one is forgotten (so it may be logged again, which ingestion tolerates).
 */
export class ExposureDeduper {
  // A Set iterates in insertion order; re-inserting on every hit keeps the oldest first.
  private readonly entries = new Set<string>();

  /** @throws RangeError when `capacity` is not a positive integer. */
  constructor(readonly capacity: number = DEFAULT_DEDUPER_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity}`);
  }

  /** False the first time a triple is seen (log it), true while it is still remembered. */
  seen(unit: string, experiment: string, variant: string): boolean {
    const entries = this.entries;
    // Length prefixes keep ('a:b', 'c') and ('a', 'b:c') apart whatever the strings contain.
    const key = `${unit.length}:${unit}${experiment.length}:${experiment}${variant}`;
    const seen = entries.delete(key);
    entries.add(key);
    if (entries.size > this.capacity) entries.delete(entries.values().next().value!);
    return seen;
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
