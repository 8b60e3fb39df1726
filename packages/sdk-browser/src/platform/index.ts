export { browserClock, browserFetch, browserRandom, browserSocket } from './browser-globals';
export { IdbConfigCache } from './idb-config-cache';
export { IdbEventQueueStorage } from './idb-event-queue-storage';
export { kvStore } from './idb-kv';
export { shapeDecoder } from './shape-decoder';
