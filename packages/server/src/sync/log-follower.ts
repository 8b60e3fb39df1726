import type { Logger } from '../logger';
import type { LogEntry } from '../store/records';
import type { Store } from '../store/store';

/** Receives committed domain-log rows in seq order, each once. */
export type LogSubscriber = (entries: readonly LogEntry[]) => void;

/** Options of `LogFollower`. */
export interface LogFollowerOptions {
  store: Store;
  logger: Logger;
  /** Rows read per query while catching up (default 1000). */
  pageSize?: number;
  /**
   * Reads the log this often even without a signal, in ms; 0 (the default) never. Instances on
   * one PostgreSQL use it as a safety net under NOTIFY, which a dropped connection can miss.
   */
  pollMs?: number;
}

/**
 * Follows the domain log: hands every committed row to its subscribers once and in seq order,
 * whether this process committed it (the store announces it at once and it is delivered in the
 * same tick, without a read) or another instance did (`poke`, on a NOTIFY, reads it from the log).
 * Deliveries and `exclusive` tasks run one at a time, so a task that reads the store knows which
 * rows were delivered before it (`position`).
 */
export class LogFollower {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #pageSize: number;
  readonly #subscribers = new Set<LogSubscriber>();
  #position = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #catchUpQueued = false;
  #unsubscribe: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #pollMs: number;

  constructor(options: LogFollowerOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#pageSize = options.pageSize ?? 1000;
    this.#pollMs = options.pollMs ?? 0;
  }

  /** The seq of the last row delivered. */
  get position(): number {
    return this.#position;
  }

  /** Starts at the end of the log: rows committed from now on are delivered. */
  async start(): Promise<void> {
    this.#position = await this.#store.read((r) => r.latestSeq());
    this.#unsubscribe = this.#store.onCommit((entries) => this.#committed(entries));
    if (this.#pollMs > 0) {
      this.#timer = setInterval(() => this.poke(), this.#pollMs);
      this.#timer.unref();
    }
  }

  /** Stops following; queued work still finishes. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#timer) clearInterval(this.#timer);
    await this.#queue;
  }

  /** Calls `subscriber` with every batch of rows delivered from now on. */
  subscribe(subscriber: LogSubscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /** The log may have grown (a NOTIFY, a poll): reads and delivers what is new. */
  poke(): void {
    if (this.#catchUpQueued) return;
    this.#catchUpQueued = true;
    void this.#enqueue(async () => {
      this.#catchUpQueued = false;
      await this.#catchUp();
    }).catch((error: unknown) =>
      this.#logger.error({ err: error }, 'reading the domain log failed'),
    );
  }

  /** Runs `task` between deliveries (none runs while it does); it gets the current position. */
  exclusive<T>(task: (position: number) => Promise<T>): Promise<T> {
    return this.#enqueue(() => task(this.#position));
  }

  #committed(entries: LogEntry[]): void {
    if (this.#unsubscribe === undefined) return;
    // The common case: nothing queued and the rows follow on: deliver now, in the committing tick.
    if (this.#queued === 0 && entries[0]?.seq === this.#position + 1 && contiguous(entries)) {
      this.#deliver(entries);
      return;
    }
    this.poke();
  }

  async #catchUp(): Promise<void> {
    for (;;) {
      const after = this.#position;
      const page = await this.#store.read((r) => r.readLog({ after, limit: this.#pageSize }));
      // Rows delivered meanwhile are not delivered twice.
      const fresh = page.filter((e) => e.seq > this.#position);
      if (fresh.length > 0) this.#deliver(fresh);
      if (page.length < this.#pageSize) return;
    }
  }

  #deliver(entries: readonly LogEntry[]): void {
    this.#position = entries[entries.length - 1]!.seq;
    for (const subscriber of this.#subscribers) {
      try {
        subscriber(entries);
      } catch (error) {
        this.#logger.error({ err: error }, 'a domain-log subscriber failed');
      }
    }
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.#queued++;
    const run = this.#queue.then(task).finally(() => this.#queued--);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function contiguous(entries: readonly LogEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.seq !== entries[i - 1]!.seq + 1) return false;
  }
  return true;
}
