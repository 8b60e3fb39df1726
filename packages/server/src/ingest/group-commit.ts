/** Writes a group of items in one transaction; answers one result per item, in order. */
export type GroupWriter<I, O> = (items: I[]) => Promise<O[]>;

/** Options of `GroupCommit`. */
export interface GroupCommitOptions<I> {
  /** An item's share of a group's size (default 1). */
  weight?: (item: I) => number;
  /** Largest group, in weight, unless one item alone is larger (default 20,000). */
  maxWeight?: number;
  /**
   * Groups handed to the writer before the first of them committed (default 1). A writer that
   * commits them in order elsewhere (a worker thread) can take the next while it commits one.
   */
  inFlight?: number;
}

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a write is in progress wait and are then written together,
 * in one transaction, by a single writer loop. Under load each commit carries many requests'
 * batches, so the cost of a commit is shared and no request waits behind a queue of commits;
 * at rest an item is written on the next turn of the event loop (so those arriving together go
 * together). Each promise settles after its group commits (or fails, with the group's error).
 * With `inFlight` above 1, that many groups may be handed to the writer at once (it must commit
 * them in the order given).
 */
export class GroupCommit<I, O> {
  #pending: Pending<I, O>[] = [];
  #writing = 0;
  #scheduled = false;
  #drained: (() => void)[] = [];
  readonly #weight: (item: I) => number;
  readonly #maxWeight: number;
  readonly #inFlight: number;

  constructor(
    private readonly write: GroupWriter<I, O>,
    options: GroupCommitOptions<I> = {},
  ) {
    this.#weight = options.weight ?? (() => 1);
    this.#maxWeight = options.maxWeight ?? 20_000;
    this.#inFlight = options.inFlight ?? 1;
  }

  /** Items waiting for a commit. */
  get backlog(): number {
    return this.#pending.length;
  }

  /** Queues an item; resolves with its result once its group committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#scheduled || this.#writing >= this.#inFlight) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#pump();
      });
    });
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.#writing > 0 || this.#pending.length > 0) {
      await new Promise<void>((resolve) => this.#drained.push(resolve));
    }
  }

  #pump(): void {
    while (this.#writing < this.#inFlight && this.#pending.length > 0) {
      const group = this.#take();
      this.#writing++;
      void this.#commit(group);
    }
  }

  async #commit(group: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.write(group.map((p) => p.item));
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      for (const p of group) p.reject(error);
    } finally {
      this.#writing--;
      // What arrived meanwhile goes at once, as the next group.
      this.#pump();
      if (this.#writing === 0 && this.#pending.length === 0) {
        for (const resolve of this.#drained.splice(0)) resolve();
      }
    }
  }

  #take(): Pending<I, O>[] {
    let weight = 0;
    let n = 0;
    while (n < this.#pending.length) {
      const w = this.#weight(this.#pending[n]!.item);
      if (n > 0 && weight + w > this.#maxWeight) break;
      weight += w;
      n++;
    }
    return this.#pending.splice(0, n);
  }
}
