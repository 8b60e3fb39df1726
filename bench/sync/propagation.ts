import type { MemorySample } from '../shared/memory-sample';
import { processCpuMs, processesCpuMs } from '../shared/process-cpu';
import type { ClientFleet, Connected } from './client-fleet';
import type { PropagationTarget } from './propagation-target';

/** A server under test, its clients' group in the fleet, and how it did. */
export interface Side {
  target: PropagationTarget;
  /** Keep the raw frames one client receives (ours's, for the floor to replay). */
  capture: boolean;
  connected?: Connected;
  /** Server memory with no client, and with every client connected and idle. */
  memoryBefore?: MemorySample;
  memoryAfter?: MemorySample;
  /** Per client and measured change: ms from the trigger until the client applied the delta. */
  latenciesMs: number[];
  /** Per measured change: ms until the last client applied it (Infinity if one never did). */
  completionMs: number[];
  /** Client-changes that were not applied within the timeout. */
  missing: number;
  /**
   * Per measured change, CPU time (ms) from just before the trigger until every client applied
   * it: of the server, and of all client processes together. Empty without /proc.
   */
  cpuMs: { server: number[]; clients: number[] };
  /** Frames the capturing client received: the snapshot, then one delta per change. */
  frames: { snapshot?: string; deltas: string[] };
  /** Set when the side failed: it takes no further part. */
  reason?: string;
}

export interface PropagationOptions {
  clients: number;
  /** Changes measured per side, after `warmup` changes that are not. */
  changes: number;
  warmup: number;
  /** How long one change may take to reach every client. */
  changeTimeoutMs: number;
  /** Quiet time after connecting, before the memory sample. */
  settleMs: number;
  /** Quiet time after each change. */
  pauseMs: number;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A side before measuring. */
export function newSide(target: PropagationTarget, capture: boolean): Side {
  return {
    target,
    capture,
    latenciesMs: [],
    completionMs: [],
    missing: 0,
    cpuMs: { server: [], clients: [] },
    frames: { deltas: [] },
  };
}

/**
 * Connects `o.clients` clients of the fleet to the side's server, sampling the server's memory
 * before and after (once the clients are idle). Throws when no client connects.
 */
export async function connectSide(
  side: Side,
  fleet: ClientFleet,
  o: PropagationOptions,
): Promise<void> {
  const { target } = side;
  side.memoryBefore = await target.memory();
  const started = Date.now();
  const connected = await fleet.connect(
    target.name,
    target.baseUrl,
    target.key,
    o.clients,
    side.capture,
  );
  side.connected = connected;
  if (connected.snapshotFrame !== undefined) side.frames.snapshot = connected.snapshotFrame;
  o.log(
    `  ${connected.ready} clients ready in ${Date.now() - started} ms, ${connected.failed} failed`,
  );
  for (const error of connected.errors) o.log(`  connect error: ${error}`);
  if (connected.ready === 0)
    throw new Error(`no client connected: ${connected.errors[0] ?? 'no reason given'}`);
  await sleep(o.settleMs);
  side.memoryAfter = await target.memory();
}

/**
 * Makes the changes, alternating between the sides so both meet the same background load:
 * change i of every side, then change i + 1... Each is timed from just before its trigger (the
 * REST call for ours) until every client of that side applied it, on the one monotonic clock all
 * processes share. A side whose trigger fails is dropped with the reason.
 */
export async function runChanges(
  sides: readonly Side[],
  fleet: ClientFleet,
  o: PropagationOptions,
): Promise<void> {
  for (let i = 0; i < o.warmup + o.changes; i++) {
    for (const side of sides) {
      if (side.reason !== undefined) continue;
      const group = side.target.name;
      try {
        await fleet.arm(group);
        const cpuBefore = cpuNow(side, fleet);
        const start = process.hrtime.bigint();
        await side.target.change(i);
        const applied = await fleet.collect(group, o.changeTimeoutMs);
        if (applied.deltaFrame !== undefined) side.frames.deltas.push(applied.deltaFrame);
        if (i >= o.warmup) {
          record(side, applied.times, start);
          recordCpu(side, cpuBefore, cpuNow(side, fleet));
        }
      } catch (error) {
        side.reason = `failed at change ${i}: ${error instanceof Error ? error.message : String(error)}`;
      }
      await sleep(o.pauseMs);
    }
  }
}

/** CPU time so far of the side's server and of the client processes. */
function cpuNow(side: Side, fleet: ClientFleet): { server?: number; clients?: number } {
  return { server: processCpuMs(side.target.pid), clients: processesCpuMs(fleet.pids) };
}

function recordCpu(
  side: Side,
  before: { server?: number; clients?: number },
  after: { server?: number; clients?: number },
): void {
  if (before.server === undefined || after.server === undefined) return;
  if (before.clients === undefined || after.clients === undefined) return;
  side.cpuMs.server.push(after.server - before.server);
  side.cpuMs.clients.push(after.clients - before.clients);
}

function record(side: Side, times: readonly bigint[], start: bigint): void {
  let last = 0;
  for (const t of times) {
    if (t < 0n) {
      side.missing++;
      last = Infinity;
      continue;
    }
    const ms = Number(t - start) / 1e6;
    side.latenciesMs.push(ms);
    last = Math.max(last, ms);
  }
  side.completionMs.push(last);
}
