import type { MemorySample } from '../shared/memory-sample';

/** A server whose propagation bench:sync measures: ours, or the bare `ws` floor. */
export interface PropagationTarget {
  readonly name: string;
  /** `ws://127.0.0.1:<port>/v1/stream` or the floor's equivalent. */
  readonly streamUrl: string;
  /** The key clients say hello with. */
  readonly key: string;
  /** Makes change number `i` (from 0); resolves when the trigger call was answered. */
  change(i: number): Promise<void>;
  /** The server process's memory, after a GC where possible. */
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}
