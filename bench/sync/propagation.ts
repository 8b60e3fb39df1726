import type { MemorySample } from '../shared/memory-sample';
import type { ClientFleet, Connected } from './client-fleet';
import type { PropagationTarget } from './propagation-target';

/** How one target did. */
export interface PropagationResult {
  connected: Connected;
  /** Server memory with no client, and with every client connected and idle. */
  memoryBefore: MemorySample;
  memoryAfter: MemorySample;
  /** Per socket and measured change: ms from the trigger until the socket applied the delta. */
  latenciesMs: number[];
  /** Per measured change: ms until the last socket applied it (Infinity if one never did). */
  completionMs: number[];
  /** Socket-changes that were not applied within the timeout. */
  missing: number;
  /** Frames one socket received, for replay by the floor. */
  frames: { snapshot?: string; deltas: string[] };
}

export interface PropagationOptions {
  clients: number;
  /** Changes measured, after `warmup` changes that are not. */
  changes: number;
  warmup: number;
  /** How long one change may take to reach every socket. */
  changeTimeoutMs: number;
  /** Quiet time after connecting (before the memory sample) and between changes. */
  settleMs: number;
  pauseMs: number;
  capture: boolean;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects the fleet to `target`, samples the server's memory before and after, then makes the
 * changes one at a time: each is timed from just before its trigger (the REST call for ours) until
 * every socket has applied it, on the one monotonic clock all processes share.
 */
export async function measurePropagation(
  target: PropagationTarget,
  fleet: ClientFleet,
  o: PropagationOptions,
): Promise<PropagationResult> {
  const memoryBefore = await target.memory();
  const connectStart = Date.now();
  const connected = await fleet.connect(target.baseUrl, target.key, o.clients, o.capture);
  o.log(
    `  ${connected.ready} sockets ready in ${Date.now() - connectStart} ms, ${connected.failed} failed`,
  );
  if (connected.ready === 0) {
    throw new Error(`no socket connected: ${connected.errors.join('; ') || 'no reason given'}`);
  }
  try {
    await sleep(o.settleMs);
    return await changeAll(target, fleet, o, connected, memoryBefore, await target.memory());
  } finally {
    await fleet.disconnect();
  }
}

async function changeAll(
  target: PropagationTarget,
  fleet: ClientFleet,
  o: PropagationOptions,
  connected: Connected,
  memoryBefore: MemorySample,
  memoryAfter: MemorySample,
): Promise<PropagationResult> {
  const result: PropagationResult = {
    connected,
    memoryBefore,
    memoryAfter,
    latenciesMs: [],
    completionMs: [],
    missing: 0,
    frames: {
      ...(connected.snapshotFrame === undefined ? {} : { snapshot: connected.snapshotFrame }),
      deltas: [],
    },
  };
  for (let i = 0; i < o.warmup + o.changes; i++) {
    await fleet.arm();
    const start = process.hrtime.bigint();
    await target.change(i);
    const applied = await fleet.collect(o.changeTimeoutMs);
    if (applied.deltaFrame !== undefined) result.frames.deltas.push(applied.deltaFrame);
    if (i >= o.warmup) record(result, applied.times, start);
    await sleep(o.pauseMs);
  }
  return result;
}

function record(result: PropagationResult, times: readonly bigint[], start: bigint): void {
  let last = 0;
  for (const t of times) {
    if (t < 0n) {
      result.missing++;
      last = Infinity;
      continue;
    }
    const ms = Number(t - start) / 1e6;
    result.latenciesMs.push(ms);
    last = Math.max(last, ms);
  }
  result.completionMs.push(last);
}
