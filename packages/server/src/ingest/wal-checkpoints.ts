import type Database from 'better-sqlite3';
import { NOBODY, releaseAbandonedTurn, releaseTurn } from '../store/turn-cell';

/** Cells of the shared buffer. */
const COMMITS = 0;
const HOLDER = 1;
const WAL_FRAMES = 2;
const STOP = 3;

/** Who is checkpointing the file now (HOLDER), besides NOBODY. */
const CHECKPOINTER = 1;
const WRITER = 2;

/**
 * Frames the WAL may reach before the ingestion writer checkpoints it itself (≈ 40 MB of 4 KB
 * pages). Under sustained load the background checkpoints keep up but the WAL never restarts
 * from its beginning (the writer always begins its next transaction before a checkpoint caught
 * up), so it grows until the writer's own checkpoint lets its next transaction restart it.
 */
export const WAL_FRAME_LIMIT = 10_000;

/** What `PRAGMA wal_checkpoint(PASSIVE)` answers. */
interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Copies what the WAL holds into the database file without waiting for anyone (PASSIVE: it
 * stops at frames a reader still needs, and never blocks a writer); answers the WAL's frames.
 */
export function checkpointPassively(db: Database.Database): number {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[];
  return row?.log ?? 0;
}

/**
 * The state that the ingestion writer and its checkpointer share across threads. The writer
 * commits with SQLite's automatic checkpoints off, so that no commit waits for the copying and
 * the fsyncs of a checkpoint: after each commit it wakes the checkpointer, which checkpoints from
 * a connection and a thread of its own, and tells how many frames the WAL holds. One of them
 * checkpoints at a time (a concurrent PASSIVE checkpoint would only find the file busy).
 */
export class WalCheckpoints {
  readonly #cells: Int32Array;

  /** A new state, or (given the `buffer` of one) the same state seen from another thread. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(16)) {
    this.#cells = new Int32Array(buffer);
  }

  /** The writer: a transaction committed (wakes the checkpointer). */
  committed(): void {
    Atomics.add(this.#cells, COMMITS, 1);
    Atomics.notify(this.#cells, COMMITS);
  }

  /** Commits so far (wrapping): what the checkpointer waits to change. */
  get commits(): number {
    return Atomics.load(this.#cells, COMMITS);
  }

  /** Frames in the WAL as the last checkpoint found them. */
  get walFrames(): number {
    return Atomics.load(this.#cells, WAL_FRAMES);
  }

  set walFrames(frames: number) {
    Atomics.store(this.#cells, WAL_FRAMES, frames);
  }

  /** The checkpointer: blocks until a commit after `seen`, a stop, or `timeoutMs`. */
  waitForCommit(seen: number, timeoutMs: number): number {
    if (!this.stopping) Atomics.wait(this.#cells, COMMITS, seen, timeoutMs);
    return this.commits;
  }

  /** The checkpointer: waits `ms` (less if asked to stop). */
  rest(ms: number): void {
    if (!this.stopping) Atomics.wait(this.#cells, STOP, 0, ms);
  }

  /** The checkpointer: takes the checkpoint turn if nobody has it. */
  tryHoldAsCheckpointer(): boolean {
    return Atomics.compareExchange(this.#cells, HOLDER, NOBODY, CHECKPOINTER) === NOBODY;
  }

  /**
   * The writer: waits (up to `timeoutMs`) for the checkpointer's checkpoint to end and takes the
   * turn; false when it did not get it in time.
   */
  holdAsWriter(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (Atomics.compareExchange(this.#cells, HOLDER, NOBODY, WRITER) === NOBODY) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.#cells, HOLDER, CHECKPOINTER, left);
    }
  }

  /** Ends the caller's checkpoint turn. */
  release(): void {
    releaseTurn(this.#cells, HOLDER);
  }

  /** Frees the turn of a checkpointer that died holding it. */
  releaseAbandoned(): void {
    releaseAbandonedTurn(this.#cells, HOLDER, CHECKPOINTER);
  }

  /** Asks the checkpointer to finish. */
  stop(): void {
    Atomics.store(this.#cells, STOP, 1);
    Atomics.notify(this.#cells, COMMITS);
    Atomics.notify(this.#cells, STOP);
  }

  get stopping(): boolean {
    return Atomics.load(this.#cells, STOP) === 1;
  }
}
