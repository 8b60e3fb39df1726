// One of the client processes of bench:sync: holds many Node SDK clients, in one group per server
// under test, and reports per client when it applied a delta. Driven by the harness over IPC
// (see fleet-messages.ts).
import type { FleetCommand, FleetReport } from './fleet-messages';
import { TimedSdkClient } from './timed-sdk-client';

const MAX_REPORTED_ERRORS = 5;
const READY_TIMEOUT_MS = 30_000;

/** The clients of one server under test and what is being recorded for them. */
interface Group {
  clients: TimedSdkClient[];
  connected: boolean;
  /** Per client, when it applied the delta the harness armed for; -1n until then. */
  times: BigInt64Array;
  pending: number;
  armed: boolean;
}

const groups = new Map<string, Group>();

function report(message: FleetReport): void {
  process.send!(message);
}

function reportApplied(name: string, group: Group): void {
  group.armed = false;
  const deltaFrame = group.clients[0]?.lastFrame;
  report({
    type: 'applied',
    group: name,
    times: group.times,
    ...(deltaFrame === undefined ? {} : { deltaFrame }),
  });
}

async function connect(command: Extract<FleetCommand, { type: 'connect' }>): Promise<void> {
  const name = command.group;
  const group: Group = {
    clients: [],
    connected: false,
    times: new BigInt64Array(0),
    pending: 0,
    armed: false,
  };
  groups.set(name, group);
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  const events = {
    applied: (client: TimedSdkClient, at: bigint) => {
      if (!group.armed || group.times[client.slot] !== -1n) return;
      group.times[client.slot] = at;
      if (--group.pending === 0) reportApplied(name, group);
    },
    problem: (message: string) => {
      // Before everyone is connected, failures are counted by `connect` itself.
      if (group.connected) report({ type: 'problem', group: name, message });
    },
  };
  const opened = new Array<TimedSdkClient | undefined>(command.count);
  // A bounded number of handshakes in flight, so the server's accept backlog never overflows.
  const opener = async () => {
    while (next < command.count) {
      const index = next++;
      const capture = command.capture && index === 0;
      const client = new TimedSdkClient(command.url, command.key, events, capture);
      try {
        await client.ready(READY_TIMEOUT_MS);
        opened[index] = client;
      } catch (error) {
        failed++;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push(String(error));
        await client.close();
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, opener));
  group.clients = opened.filter((c) => c !== undefined);
  group.clients.forEach((c, i) => (c.slot = i));
  group.connected = true;
  const snapshotFrame = group.clients[0]?.lastFrame;
  report({
    type: 'connected',
    group: name,
    ready: group.clients.length,
    failed,
    errors,
    ...(snapshotFrame === undefined ? {} : { snapshotFrame }),
  });
}

function arm(name: string): void {
  const group = groups.get(name);
  if (group) {
    group.times = new BigInt64Array(group.clients.length).fill(-1n);
    group.pending = group.clients.length;
    group.armed = true;
  }
  report({ type: 'armed', group: name });
}

async function disconnect(name: string): Promise<void> {
  const group = groups.get(name);
  groups.delete(name);
  if (group) {
    group.connected = false;
    await Promise.all(group.clients.map((c) => c.close()));
  }
  report({ type: 'disconnected', group: name });
}

process.on('message', (command: FleetCommand) => {
  switch (command.type) {
    case 'connect':
      void connect(command);
      break;
    case 'arm':
      arm(command.group);
      break;
    case 'collect': {
      const group = groups.get(command.group);
      if (group?.armed) reportApplied(command.group, group);
      break;
    }
    case 'clock':
      report({ type: 'clock', now: process.hrtime.bigint() });
      break;
    case 'disconnect':
      void disconnect(command.group);
      break;
  }
});

// The harness is gone (finished or crashed): nothing to report to, so leave.
process.on('disconnect', () => process.exit(0));
