// A worker thread for the WriteTurn tests: takes the turn as the ingestion worker does, holds it
// `holdMs`, and tells its parent when it took it and when it lets go.
import { register } from 'tsx/esm/api';

register();
const { parentPort, workerData } = await import('node:worker_threads');
const { WriteTurn } = await import('../../src/store/write-turn.ts');

const turn = new WriteTurn(workerData.buffer);
turn.acquireBlocking();
parentPort.postMessage('taken');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
parentPort.postMessage('releasing');
turn.release();
