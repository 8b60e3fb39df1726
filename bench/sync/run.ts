// pnpm bench:sync — how fast one flag change reaches 5,000 WebSocket clients, ours beside the
// floor (a bare `ws` broadcast of a frame of the same bytes to the same client processes), and
// server memory per idle connection. Everything runs on 127.0.0.1.
import { openFileLimit, openFileShortfall } from '../shared/open-file-limit';
import { ProcessGroup } from '../shared/process-group';
import { runMain } from '../shared/run-main';
import { scratchDir } from '../shared/scratch-dir';
import { unavailableText } from '../shared/unavailable';
import { ClientFleet } from './client-fleet';
import { FloorTarget } from './floor-target';
import type { FloorFrames } from './floor-target';
import { OurTarget } from './our-target';
import { measurePropagation } from './propagation';
import type { PropagationOptions, PropagationResult } from './propagation';
import type { PropagationTarget } from './propagation-target';
import { renderReport } from './report';
import type { SideOutcome } from './report';
import { syntheticFrames } from './synthetic-frames';

const CLIENTS = Number(process.env.BENCH_SYNC_CLIENTS ?? 5000);
const PROCESSES = Number(process.env.BENCH_SYNC_PROCESSES ?? 4);
const CHANGES = Number(process.env.BENCH_SYNC_CHANGES ?? 20);
const WARMUP = 2;

const log = (line: string) => console.log(line);

async function measure(
  target: PropagationTarget,
  fleet: ClientFleet,
  capture: boolean,
): Promise<PropagationResult> {
  const options: PropagationOptions = {
    clients: CLIENTS,
    changes: CHANGES,
    warmup: WARMUP,
    changeTimeoutMs: 15_000,
    settleMs: 2000,
    pauseMs: 150,
    capture,
    log,
  };
  fleet.problems.clear();
  try {
    return await measurePropagation(target, fleet, options);
  } finally {
    for (const [message, count] of fleet.problems) log(`  client problem ×${count}: ${message}`);
  }
}

/** The floor replays ours's frames byte for byte when ours supplied them, else synthetic ones. */
function floorFrames(ours: PropagationResult | undefined): FloorFrames {
  const frames = ours?.frames;
  if (frames?.snapshot !== undefined && frames.deltas.length === WARMUP + CHANGES) {
    return { snapshot: frames.snapshot, deltas: frames.deltas, origin: 'captured from ours' };
  }
  return syntheticFrames(WARMUP + CHANGES);
}

async function main(): Promise<void> {
  log(
    `bench:sync — one flag change to ${CLIENTS} WebSocket clients in ${PROCESSES} processes, 127.0.0.1`,
  );
  const shortfall = openFileShortfall(CLIENTS + 500);
  const limit = openFileLimit();
  log(
    `open-file limit: soft ${limit.soft}, hard ${limit.hard} (Node raises soft to hard; children inherit)`,
  );
  if (shortfall) throw new Error(shortfall);

  const group = new ProcessGroup();
  const dir = scratchDir('sync');
  try {
    const fleet = await ClientFleet.start(group, PROCESSES);
    const clock = await fleet.checkClock();
    log(
      `clock check: ${clock.consistent}/${clock.rounds} child readings of process.hrtime.bigint() fell ` +
        `inside the harness's round trip (max ${clock.maxRoundTripMs.toFixed(2)} ms): one monotonic clock`,
    );
    if (clock.consistent !== clock.rounds) {
      throw new Error(
        'the processes do not share one monotonic clock: latencies would be meaningless',
      );
    }

    const ours: SideOutcome = { name: 'ours: switchyard serve' };
    log(`\n${ours.name}`);
    let target: OurTarget | undefined;
    try {
      target = await OurTarget.start(group, dir);
      ours.result = await measure(target, fleet, true);
    } catch (error) {
      ours.reason = unavailableText(error);
      log(`  ${ours.reason}`);
      if (target) log(`  server output:\n${target.server.lastOutput()}`);
    } finally {
      await target?.stop();
    }

    const frames = floorFrames(ours.result);
    const floor: SideOutcome = { name: 'floor: bare ws broadcast' };
    const deltaBytes = Buffer.byteLength(frames.deltas[WARMUP] ?? '');
    log(
      `\n${floor.name} (frames ${frames.origin}: snapshot ${Buffer.byteLength(frames.snapshot)} B, delta ${deltaBytes} B)`,
    );
    const floorTarget = await FloorTarget.start(group, dir, frames);
    try {
      floor.result = await measure(floorTarget, fleet, false);
    } catch (error) {
      floor.reason = unavailableText(error);
      log(`  ${floor.reason}`);
    } finally {
      await floorTarget.stop();
    }

    log(
      `\n${CHANGES} changes each (after ${WARMUP} warm-up); latency per socket from just before the trigger`,
    );
    log('(REST call for ours, IPC to the floor server) until that socket applied the delta.\n');
    log(renderReport(ours, floor));
  } finally {
    await group.close();
  }
}

runMain('bench:sync', main);
