export { writeFileAtomic } from './atomic-write';
export { FileConfigCache } from './file-config-cache';
export { FileEventQueueStorage } from './file-event-queue-storage';
export type { FileEventQueueOptions } from './file-event-queue-storage';
export { nodeClock } from './node-clock';
export { nodeRandom } from './node-random';
export { wsSocketFactory } from './ws-socket';
export type { WsSocketOptions } from './ws-socket';
