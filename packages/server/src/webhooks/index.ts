export { DEFAULT_WEBHOOK_RETRY, WebhookDispatcher } from './dispatcher';
export type { WebhookDispatcherOptions } from './dispatcher';
export { SIGNATURE_HEADER, signatureHeader, signatureOf, verifySignature } from './signature';
export { webhookCursor } from './cursor';
