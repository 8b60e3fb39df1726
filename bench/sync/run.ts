// pnpm bench:sync — how fast one flag change reaches 5,000 WebSocket clients, ours beside the
// floor (a bare `ws` broadcast of a frame of the same bytes to the same client processes), and
// server memory per idle connection. Everything runs on 127.0.0.1.
import { loadavg } from 'node:os';
import { openFileLimit, openFileShortfall } from '../shared/open-file-limit';
import { ProcessGroup } from '../shared/process-group';
import { runMain } from '../shared/run-main';
import { scratchDir } from '../shared/scratch-dir';
import { unavailableText } from '../shared/unavailable';
import { ClientFleet } from './client-fleet';
import { FloorTarget } from './floor-target';
import type { FloorFrames } from './floor-target';
import { OurTarget } from './our-target';
import { connectSide, newSide, runChanges } from './propagation';
import type { PropagationOptions, Side } from './propagation';
import { renderReport } from './report';
import type { SideOutcome } from './report';
import { syntheticFrames } from './synthetic-frames';

const CLIENTS = Number(process.env.BENCH_SYNC_CLIENTS ?? 5000);
const PROCESSES = Number(process.env.BENCH_SYNC_PROCESSES ?? 4);
const CHANGES = Number(process.env.BENCH_SYNC_CHANGES ?? 40);
const WARMUP = 2;

const log = (line: string) => console.log(line);

/** The machine's load averages (1, 5, 15 min): other work running beside the benchmark. */
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

const OPTIONS: PropagationOptions = {
  clients: CLIENTS,
  changes: CHANGES,
  warmup: WARMUP,
  changeTimeoutMs: 15_000,
  settleMs: 2000,
  pauseMs: 150,
  log,
};

/**
 * The floor replays ours's frames byte for byte: ours's snapshot on hello, and ours's delta of
 * change i (captured in the same round, just before) as its change i. Without ours, synthetic ones.
 */
function floorFrames(ours: Side | undefined): FloorFrames {
  const snapshot = ours?.frames.snapshot;
  if (ours && snapshot !== undefined) {
    return { snapshot, deltas: ours.frames.deltas, origin: 'replayed from ours' };
  }
  return syntheticFrames(WARMUP + CHANGES);
}

async function main(): Promise<void> {
  log(
    `bench:sync — one flag change to ${CLIENTS} WebSocket clients in ${PROCESSES} processes, 127.0.0.1`,
  );
  log(`load average before: ${load()}`);
  const limit = openFileLimit();
  log(
    `open-file limit: soft ${limit.soft}, hard ${limit.hard} (Node raises soft to hard; children inherit)`,
  );
  const shortfall = openFileShortfall(CLIENTS + 500);
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
    try {
      const target = await OurTarget.start(group, dir);
      ours.side = newSide(target, true);
      await connectSide(ours.side, fleet, OPTIONS);
    } catch (error) {
      ours.reason = unavailableText(error);
      log(`  ${ours.reason}`);
      await ours.side?.target.stop();
      ours.side = undefined;
    }

    const frames = floorFrames(ours.side);
    const floor: SideOutcome = { name: 'floor: bare ws broadcast' };
    log(
      `\n${floor.name} (frames ${frames.origin}; snapshot ${Buffer.byteLength(frames.snapshot)} B)`,
    );
    floor.side = newSide(await FloorTarget.start(group, dir, frames), false);
    await connectSide(floor.side, fleet, OPTIONS);

    const sides = [ours.side, floor.side].filter((s) => s !== undefined);
    log(`\n${CHANGES} changes per server after ${WARMUP} warm-up, alternating between the servers`);
    fleet.problems.clear();
    await runChanges(sides, fleet, OPTIONS);
    for (const [message, count] of fleet.problems) log(`  client problem ×${count}: ${message}`);
    const delta = ours.side?.frames.deltas[WARMUP] ?? frames.deltas[WARMUP];
    log(`delta frame: ${Buffer.byteLength(delta ?? '')} B`);
    for (const side of sides) {
      await fleet.disconnect(side.target.name);
      await side.target.stop();
    }

    log('latency per client from just before the trigger (REST call for ours, IPC to the floor');
    log("server) until that client's SDK applied the delta.\n");
    log(renderReport(ours, floor));
    log(`load average after: ${load()}`);
  } finally {
    await group.close();
  }
}

runMain('bench:sync', main);
