export { browserClock, browserFetch, browserRandom, browserSocket } from './browser-globals';
export { idbConfigCache } from './idb-config-cache';
export { idbEventQueueStorage } from './idb-event-queue-storage';
export { kvStore } from './idb-kv';
export { shapeDecoder } from './shape-decoder';
