import type { MemorySample } from '../shared/memory-sample';

/** A server whose propagation bench:sync measures: ours, or the bare `ws` floor. */
export interface PropagationTarget {
  readonly name: string;
  /** `http://127.0.0.1:<port>`: the URL an SDK is given (it opens `/v1/stream` there). */
  readonly baseUrl: string;
  /** The key clients say hello with. */
  readonly key: string;
  /** The server's process id (for its CPU time). */
  readonly pid: number | undefined;
  /** Makes change number `i` (from 0); resolves when the trigger call was answered. */
  change(i: number): Promise<void>;
  /** The server process's memory, after a GC where possible. */
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}
