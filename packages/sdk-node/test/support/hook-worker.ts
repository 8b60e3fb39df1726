// Child process of the remote hook tests: a Node process with one remote hook, as a user runs
// it. It reads SWITCHYARD_URL, SWITCHYARD_ADMIN_KEY and HOOK_NAME; with HANG set, its hook
// never finishes (the test kills the process mid-hook). It prints one JSON line per step.
import { createManagement } from '../../src';

const $ = createManagement({
  hooks: { name: process.env.HOOK_NAME!, after: 0, retry: { attempts: 3, baseMs: 10, maxMs: 50 } },
});
$.Experiment.concluded(async (experiment, $$, event) => {
  console.log(JSON.stringify({ started: event.seq, id: experiment.$id }));
  if (process.env.HANG) await new Promise(() => {});
  await $$.Metric.record({ name: 'hooks.handled', value: event.seq });
  console.log(JSON.stringify({ done: event.seq }));
});
process.on('SIGTERM', () => void $.close().then(() => process.exit(0)));
