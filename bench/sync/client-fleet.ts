import { fileURLToPath } from 'node:url';
import type { ProcessGroup } from '../shared/process-group';
import type { FleetCommand, FleetReport } from './fleet-messages';
import { Mailbox } from './mailbox';

const CLIENT_PROCESS = fileURLToPath(new URL('./client-process.ts', import.meta.url));

/** How the sockets of a fleet came up. */
export interface Connected {
  ready: number;
  failed: number;
  errors: string[];
  /** The raw snapshot frame one socket received (when captured). */
  snapshotFrame?: string;
}

/** When each socket applied one delta. */
export interface Applied {
  /** Raw hrtime readings, one per socket; -1n for a socket that did not apply it. */
  times: bigint[];
  /** The raw delta frame one socket received (when captured). */
  deltaFrame?: string;
}

/** The result of checking that children read the harness's monotonic clock. */
export interface ClockCheck {
  rounds: number;
  /** Rounds where the child's reading fell between the harness's send and receive readings. */
  consistent: number;
  maxRoundTripMs: number;
}

/**
 * The client processes of bench:sync, separate from every server: they open the sockets, and
 * report per socket when a delta was applied, on the clock the harness reads too.
 */
export class ClientFleet {
  /** Problems the clients reported (bad messages, gaps, lost sockets), counted by group and text. */
  readonly problems = new Map<string, number>();

  private constructor(private readonly boxes: Mailbox<FleetReport, FleetCommand>[]) {}

  /** The client processes' ids (for their CPU time). */
  get pids(): (number | undefined)[] {
    return this.boxes.map((box) => box.child.pid);
  }

  /** Forks `processes` client processes and waits until each answers. */
  static async start(group: ProcessGroup, processes: number): Promise<ClientFleet> {
    const boxes = Array.from({ length: processes }, (_, i) => {
      const child = group.forkTs(CLIENT_PROCESS, [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      return new Mailbox<FleetReport, FleetCommand>(child, `client process ${i}`, {
        problem: (m) => fleet.#problem(m),
      });
    });
    const fleet = new ClientFleet(boxes);
    for (const box of boxes) box.send({ type: 'clock' });
    await Promise.all(boxes.map((b) => b.next('clock', 60_000)));
    return fleet;
  }

  /**
   * Checks the one-clock assumption: a child's `process.hrtime.bigint()` taken while the harness
   * waits must lie between the harness's readings before sending and after receiving.
   */
  async checkClock(roundsPerProcess = 5): Promise<ClockCheck> {
    const check: ClockCheck = { rounds: 0, consistent: 0, maxRoundTripMs: 0 };
    for (const box of this.boxes) {
      for (let r = 0; r < roundsPerProcess; r++) {
        const before = process.hrtime.bigint();
        box.send({ type: 'clock' });
        const { now } = await box.next('clock', 10_000);
        const after = process.hrtime.bigint();
        check.rounds++;
        if (before <= now && now <= after) check.consistent++;
        check.maxRoundTripMs = Math.max(check.maxRoundTripMs, Number(after - before) / 1e6);
      }
    }
    return check;
  }

  /**
   * Opens `total` SDK clients of `group` to `url`, spread evenly over the processes; the first
   * client captures the frames it receives when `capture` is on.
   */
  async connect(
    group: string,
    url: string,
    key: string,
    total: number,
    capture: boolean,
  ): Promise<Connected> {
    const n = this.boxes.length;
    this.boxes.forEach((box, i) => {
      const count = Math.floor(total / n) + (i < total % n ? 1 : 0);
      const first = capture && i === 0;
      box.send({ type: 'connect', group, url, key, count, concurrency: 32, capture: first });
    });
    const reports = await Promise.all(this.boxes.map((b) => b.next('connected', 120_000)));
    return {
      ready: reports.reduce((s, r) => s + r.ready, 0),
      failed: reports.reduce((s, r) => s + r.failed, 0),
      errors: reports.flatMap((r) => r.errors).slice(0, 5),
      ...(reports[0]?.snapshotFrame === undefined
        ? {}
        : { snapshotFrame: reports[0].snapshotFrame }),
    };
  }

  /** Makes every process record the next delta each client of `group` applies. */
  async arm(group: string): Promise<void> {
    for (const box of this.boxes) box.send({ type: 'arm', group });
    await Promise.all(this.boxes.map((b) => b.next('armed', 10_000)));
  }

  /** Waits until every client of `group` applied the armed delta, or `timeoutMs`: the times. */
  async collect(group: string, timeoutMs: number): Promise<Applied> {
    const reports = await Promise.all(
      this.boxes.map(async (box) => {
        try {
          return await box.next('applied', timeoutMs);
        } catch {
          box.send({ type: 'collect', group });
          return box.next('applied', 10_000);
        }
      }),
    );
    const deltaFrame = reports[0]?.deltaFrame;
    return {
      times: reports.flatMap((r) => Array.from(r.times)),
      ...(deltaFrame === undefined ? {} : { deltaFrame }),
    };
  }

  /** Closes every client of `group`. */
  async disconnect(group: string): Promise<void> {
    for (const box of this.boxes) box.send({ type: 'disconnect', group });
    await Promise.all(this.boxes.map((b) => b.next('disconnected', 60_000)));
  }

  #problem(message: FleetReport): void {
    if (message.type !== 'problem') return;
    const text = `${message.group}: ${message.message}`;
    this.problems.set(text, (this.problems.get(text) ?? 0) + 1);
  }
}
