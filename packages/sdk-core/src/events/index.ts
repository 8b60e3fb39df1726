export { DeliveryError } from './event-batch';
export type { BatchSender, DeliveryFailure, EventBatch } from './event-batch';
export { eventQueue } from './event-queue';
export type { EventQueue, EventQueueDeps, EventQueueSettings } from './event-queue';
export { eventSender, failureOfErrorCode } from './event-sender';
export { storageWriter } from './storage-writer';
export type { StorageWriter } from './storage-writer';
export { httpEventPoster } from './http-event-poster';
export type { EventPoster } from './http-event-poster';
