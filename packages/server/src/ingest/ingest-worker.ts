import { parentPort, workerData } from 'node:worker_threads';
import type { IngestWorkerData, WorkerReply, WorkerRequest } from './ingest-worker-protocol';
import { SqliteBatchWriter } from './sqlite-batch-writer';
import { WalCheckpoints } from './wal-checkpoints';

// The ingestion worker (started by `WorkerBatchWriter` through ingest-worker.mjs): writes each
// group it is sent with its own connection, one at a time, and answers once it is committed.
const port = parentPort!;
const data = workerData as IngestWorkerData;
const writer = new SqliteBatchWriter(data, new WalCheckpoints(data.checkpoints));
let queue = Promise.resolve();

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'close') {
    writer.close();
    port.postMessage({ type: 'closed' } satisfies WorkerReply);
    port.close();
    return;
  }
  if (request.type === 'checkpoint-alone') {
    writer.checkpointAlone();
    return;
  }
  let reply: WorkerReply;
  try {
    reply = {
      type: 'written',
      id: request.id,
      result: await writer.write(request.batches),
    };
  } catch (error) {
    reply = { type: 'failed', id: request.id, error };
  }
  port.postMessage(reply);
  // After the answer: no request waits for the WAL's upkeep.
  writer.tidyWal();
}

port.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => handle(request));
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
