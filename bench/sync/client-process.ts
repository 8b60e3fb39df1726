// One of the client processes of bench:sync: holds many Node SDK clients and reports, per socket,
// when it applied a delta. Driven by the harness over IPC (see fleet-messages.ts).
import type { FleetCommand, FleetReport } from './fleet-messages';
import { TimedSdkClient } from './timed-sdk-client';

const MAX_REPORTED_ERRORS = 5;

const READY_TIMEOUT_MS = 30_000;

let clients: TimedSdkClient[] = [];
let connected = false;
/** Per socket, when it applied the delta the harness armed for; -1n until then. */
let times = new BigInt64Array(0);
let pending = 0;
let armed = false;

function report(message: FleetReport): void {
  process.send!(message);
}

function reportApplied(): void {
  armed = false;
  const deltaFrame = clients[0]?.lastFrame;
  report({ type: 'applied', times, ...(deltaFrame === undefined ? {} : { deltaFrame }) });
}

async function connect(command: Extract<FleetCommand, { type: 'connect' }>): Promise<void> {
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  const events = {
    applied: (client: TimedSdkClient, at: bigint) => {
      if (!armed || times[client.slot] !== -1n) return;
      times[client.slot] = at;
      if (--pending === 0) reportApplied();
    },
    problem: (message: string) => {
      // Before everyone is connected, failures are counted by `connect` itself.
      if (connected) report({ type: 'problem', message });
    },
  };
  // A bounded number of handshakes in flight, so the server's accept backlog never overflows.
  const opener = async () => {
    while (next < command.count) {
      const index = next++;
      const client = new TimedSdkClient(
        command.url,
        command.key,
        events,
        command.capture && index === 0,
      );
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
  const opened = new Array<TimedSdkClient | undefined>(command.count);
  await Promise.all(Array.from({ length: command.concurrency }, opener));
  clients = opened.filter((c) => c !== undefined);
  clients.forEach((c, i) => (c.slot = i));
  connected = true;
  const snapshotFrame = clients[0]?.lastFrame;
  report({
    type: 'connected',
    ready: clients.length,
    failed,
    errors,
    ...(snapshotFrame === undefined ? {} : { snapshotFrame }),
  });
}

process.on('message', (command: FleetCommand) => {
  switch (command.type) {
    case 'connect':
      void connect(command);
      break;
    case 'arm':
      times = new BigInt64Array(clients.length).fill(-1n);
      pending = clients.length;
      armed = true;
      report({ type: 'armed' });
      break;
    case 'collect':
      if (armed) reportApplied();
      break;
    case 'clock':
      report({ type: 'clock', now: process.hrtime.bigint() });
      break;
    case 'disconnect':
      void Promise.all(clients.map((c) => c.close())).then(() => {
        clients = [];
        connected = false;
        report({ type: 'disconnected' });
      });
      break;
  }
});

// The harness is gone (finished or crashed): nothing to report to, so leave.
process.on('disconnect', () => process.exit(0));
