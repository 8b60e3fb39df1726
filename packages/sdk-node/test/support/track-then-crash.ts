// Child process of files.test.ts: queues events with an on-disk queue and no server, then dies
// by SIGKILL (no close, no flush, no exit handlers), as a crashed process would.
import { createClient } from '../../src';

const [file, count] = process.argv.slice(2) as [string, string];
const client = createClient({ offline: true, eventQueue: { file } });
for (let i = 0; i < Number(count); i++) client.track('purchase', { userId: `crash-${i}` }, { i });
// Give the queue's writer a moment to append to the file, as it would in a running process.
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);
