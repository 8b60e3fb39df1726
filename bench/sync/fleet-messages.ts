// The IPC messages between the harness and its client processes (see client-process.ts).
// Times are raw `process.hrtime.bigint()` readings: CLOCK_MONOTONIC on Linux, one clock for every
// process of the machine (the harness checks this before it measures anything).

// Sockets belong to a named group (one per server under test), so that the servers can be
// measured in alternation while every socket stays connected.

/** harness → client process */
export type FleetCommand =
  /** Open `count` sockets to `url` (at most `concurrency` handshakes at a time), say hello with `key`. */
  | {
      type: 'connect';
      group: string;
      url: string;
      key: string;
      count: number;
      concurrency: number;
      capture: boolean;
    }
  /** Record, per socket of `group`, when it applies its next delta. */
  | { type: 'arm'; group: string }
  /** Report what was recorded so far, even if some sockets have not applied the delta yet. */
  | { type: 'collect'; group: string }
  /** Answer with the current clock reading. */
  | { type: 'clock' }
  /** Close every socket of `group`. */
  | { type: 'disconnect'; group: string };

/** client process → harness */
export type FleetReport =
  | {
      type: 'connected';
      group: string;
      /** Sockets that received their snapshot. */
      ready: number;
      failed: number;
      /** The first few failure reasons. */
      errors: string[];
      /** The raw snapshot frame of the first socket, when `capture` was asked. */
      snapshotFrame?: string;
    }
  | { type: 'armed'; group: string }
  | {
      type: 'applied';
      group: string;
      /** Per socket: when it applied the delta, or -1n if it has not. */
      times: BigInt64Array;
      /** The raw delta frame of the first socket, when `capture` was asked. */
      deltaFrame?: string;
    }
  | { type: 'clock'; now: bigint }
  | { type: 'disconnected'; group: string }
  /** Something a real SDK would report: a bad message, a version gap, an unexpected close. */
  | { type: 'problem'; group: string; message: string };

/** harness → floor server */
export type FloorCommand =
  { type: 'configure'; snapshotFrame: string } | { type: 'broadcast'; frame: string };

/** floor server → harness */
export type FloorReport =
  { type: 'listening'; port: number } | { type: 'configured' } | { type: 'sent'; sockets: number };
