export { DeliveryError } from './event-batch';
export type { BatchSender, DeliveryFailure, EventBatch } from './event-batch';
export { EventQueue } from './event-queue';
export type { EventQueueDeps, EventQueueSettings } from './event-queue';
export { httpBatchSender } from './http-batch-sender';
export type { HttpBatchSenderOptions } from './http-batch-sender';
export { failureOfErrorCode, socketBatchSender } from './socket-batch-sender';
