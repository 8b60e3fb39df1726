import { NOBODY, releaseAbandonedTurn, releaseTurn } from './turn-cell';

/** Cells of the shared buffer: who holds the turn, and whether the store's thread waits for it. */
const HOLDER = 0;
const WANTED = 1;

const STORE = 1;
const WORKER = 2;

/** `Atomics.waitAsync` (in Node since 16), which the project's TypeScript lib does not declare. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      cells: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync.bind(Atomics);

/**
 * Whose turn it is to write one SQLite file, across threads: the store's own connection (on its
 * thread, one transaction at a time) or the ingestion worker's. Both take the turn before
 * `BEGIN IMMEDIATE`, so neither meets SQLITE_BUSY, and the store's thread never waits in SQLite's
 * sleeping busy handler (which would block its event loop). The store's thread goes first: once
 * it asks, the worker waits until it had its turn, so a stream of ingestion groups cannot starve
 * the store's verbs. Every acquire is followed by one `release`.
 */
export class WriteTurn {
  readonly #cells: Int32Array;

  /** A new turn, or (given the `buffer` of one) the same turn seen from another thread. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.#cells = new Int32Array(buffer);
  }

  /** The store's thread: waits, without blocking the thread, for the turn. */
  async acquire(): Promise<void> {
    Atomics.store(this.#cells, WANTED, 1);
    for (;;) {
      if (Atomics.compareExchange(this.#cells, HOLDER, NOBODY, STORE) === NOBODY) break;
      const holder = Atomics.load(this.#cells, HOLDER);
      if (holder === NOBODY) continue;
      const wait = waitAsync(this.#cells, HOLDER, holder);
      if (wait.async) await wait.value;
    }
    Atomics.store(this.#cells, WANTED, 0);
    Atomics.notify(this.#cells, WANTED);
  }

  /** The worker: blocks its thread until the turn is free and the store's thread does not want it. */
  acquireBlocking(): void {
    for (;;) {
      if (Atomics.load(this.#cells, WANTED) === 1) {
        Atomics.wait(this.#cells, WANTED, 1);
        continue;
      }
      if (Atomics.compareExchange(this.#cells, HOLDER, NOBODY, WORKER) === NOBODY) return;
      const holder = Atomics.load(this.#cells, HOLDER);
      if (holder !== NOBODY) Atomics.wait(this.#cells, HOLDER, holder);
    }
  }

  /** Ends the caller's turn. */
  release(): void {
    releaseTurn(this.#cells, HOLDER);
  }

  /** Frees the turn of a worker that died holding it (its connection closed with its thread). */
  releaseAbandoned(): void {
    releaseAbandonedTurn(this.#cells, HOLDER, WORKER);
  }
}
