import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { SqliteShare } from '../store/sqlite-store';
import { WriteTurn } from '../store/write-turn';
import type { BatchWriter, WrittenBatches } from './batch-writer';
import type { CountedColumns } from './counted-columns';
import type {
  CheckpointerData,
  IngestWorkerData,
  WorkerReply,
  WorkerRequest,
} from './ingest-worker-protocol';
import { WalCheckpoints } from './wal-checkpoints';

interface InFlight {
  resolve(result: WrittenBatches): void;
  reject(error: unknown): void;
}

/** How long `close` waits for a thread to close its connection before stopping it. */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Asks `thread` to end (`ask`), and resolves once it exited: on its own, or stopped after
 * CLOSE_TIMEOUT_MS.
 */
async function endThread(thread: Worker, ask: () => void): Promise<void> {
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  ask();
  const timer = setTimeout(() => void thread.terminate(), CLOSE_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Writes groups of batches from a worker thread with a connection of its own to the store's
 * SQLite file, so that the SQLite work of one group overlaps with the parsing and validating of
 * the next on this thread. Each group is still one transaction, answered once committed (the
 * worker takes the file's write turn, as the store's own transactions do). What each event
 * counts for is decided on this thread (see `toCountedColumns`): the worker gets columns. If the
 * worker fails, the groups it held fail (their requests are retried; ids make that safe), and
 * `fallback` writes from then on. A second thread checkpoints the WAL beside the worker (see
 * `WalCheckpoints`); without it the worker goes back to SQLite's automatic checkpoints.
 */
export class WorkerBatchWriter implements BatchWriter {
  /** The next group waits in the worker while it commits one: it never idles between them. */
  readonly inFlight = 2;
  readonly #worker: Worker;
  readonly #checkpointer: Worker;
  readonly #checkpoints = new WalCheckpoints();
  readonly #inFlight = new Map<number, InFlight>();
  #nextId = 0;
  #failed = false;
  #checkpointerFailed = false;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly share: SqliteShare,
    private readonly fallback: BatchWriter,
    private readonly logger: Logger,
  ) {
    this.#worker = new Worker(new URL('./ingest-worker.mjs', import.meta.url), {
      workerData: { ...share, checkpoints: this.#checkpoints.buffer } satisfies IngestWorkerData,
      // Not the parent's preloads and flags: the entry registers what it needs.
      execArgv: [],
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: WorkerReply) => this.#answer(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      if (!this.#closing) this.#fail(new Error(`the ingestion worker exited (${code})`));
    });
    const checkpointer: CheckpointerData = {
      path: share.path,
      checkpoints: this.#checkpoints.buffer,
    };
    this.#checkpointer = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
      workerData: checkpointer,
      execArgv: [],
    });
    this.#checkpointer.unref();
    this.#checkpointer.on('error', (error) => this.#checkpointerGone(error));
    this.#checkpointer.on('exit', (code) => {
      if (!this.#closing) this.#checkpointerGone(new Error(`the checkpointer exited (${code})`));
    });
  }

  write(batches: CountedColumns[]): Promise<WrittenBatches> {
    if (this.#failed) return this.fallback.write(batches);
    const id = this.#nextId++;
    return new Promise<WrittenBatches>((resolve, reject) => {
      this.#inFlight.set(id, { resolve, reject });
      this.#post({ type: 'write', id, batches });
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#failed) await endThread(this.#worker, () => this.#post({ type: 'close' }));
      // One that already exited (it failed) has nothing to stop.
      if (this.#checkpointer.threadId >= 0) {
        await endThread(this.#checkpointer, () => this.#checkpoints.stop());
      }
      await this.fallback.close();
    })();
    return this.#closing;
  }

  /** The worker writes on without it, with SQLite's own checkpoints (its WAL stays bounded). */
  #checkpointerGone(error: unknown): void {
    if (this.#checkpointerFailed) return;
    this.#checkpointerFailed = true;
    this.logger.error(
      { err: error },
      'the WAL checkpointer failed; the ingestion worker checkpoints',
    );
    void this.#checkpointer.terminate().then(() => this.#checkpoints.releaseAbandoned());
    if (!this.#failed) this.#post({ type: 'checkpoint-alone' });
  }

  #post(request: WorkerRequest): void {
    this.#worker.postMessage(request);
  }

  #answer(reply: WorkerReply): void {
    if (reply.type !== 'written' && reply.type !== 'failed') return;
    const waiting = this.#inFlight.get(reply.id);
    this.#inFlight.delete(reply.id);
    if (reply.type === 'written') waiting?.resolve(reply.result);
    else waiting?.reject(reply.error);
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.logger.error({ err: error }, 'the ingestion worker failed; ingesting on the main thread');
    for (const waiting of this.#inFlight.values()) waiting.reject(error);
    this.#inFlight.clear();
    // Its connection closes with its thread (rolling back what it had begun); then its turn.
    void this.#worker.terminate().then(() => new WriteTurn(this.share.turn).releaseAbandoned());
  }
}
