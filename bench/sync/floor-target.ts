import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEMORY_PROBE_ARGS, sampleMemory } from '../shared/memory-sample';
import type { MemorySample } from '../shared/memory-sample';
import type { ProcessGroup } from '../shared/process-group';
import type { FloorCommand, FloorReport } from './fleet-messages';
import { Mailbox } from './mailbox';
import type { PropagationTarget } from './propagation-target';

const FLOOR_SERVER = fileURLToPath(new URL('./floor-server.ts', import.meta.url));

/** The frames the floor serves: the snapshot sent on hello, then one delta frame per change. */
export interface FloorFrames {
  snapshot: string;
  deltas: readonly string[];
  /** Where they come from, for the report ("captured from ours", "synthetic"). */
  origin: string;
}

/** The bare `ws` broadcast, in its own process (see floor-server.ts). */
export class FloorTarget implements PropagationTarget {
  readonly name = 'floor: bare ws broadcast';
  readonly key = 'floor';

  private constructor(
    private readonly box: Mailbox<FloorReport, FloorCommand>,
    private readonly port: number,
    private readonly frames: FloorFrames,
    private readonly memoryFile: string,
    private readonly group: ProcessGroup,
  ) {}

  /** Starts the floor server and gives it the snapshot frame. */
  static async start(group: ProcessGroup, dir: string, frames: FloorFrames): Promise<FloorTarget> {
    const memoryFile = join(dir, 'floor-memory.json');
    const child = group.forkTs(FLOOR_SERVER, [], {
      execArgv: MEMORY_PROBE_ARGS,
      env: { ...process.env, SWITCHYARD_BENCH_MEMORY_FILE: memoryFile },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const box = new Mailbox<FloorReport, FloorCommand>(child, 'floor server');
    const { port } = await box.next('listening', 30_000);
    box.send({ type: 'configure', snapshotFrame: frames.snapshot });
    await box.next('configured', 10_000);
    return new FloorTarget(box, port, frames, memoryFile, group);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.box.child.pid;
  }

  async change(i: number): Promise<void> {
    const frame = this.frames.deltas[i];
    if (frame === undefined) throw new Error(`the floor has no delta frame for change ${i}`);
    this.box.send({ type: 'broadcast', frame });
    // Completion is timed at the clients; the report is only drained.
    void this.box.next('sent', 60_000).catch(() => {});
  }

  memory(): Promise<MemorySample> {
    return sampleMemory(this.box.child.pid!, this.memoryFile);
  }

  stop(): Promise<void> {
    return this.group.stop(this.box.child);
  }
}
