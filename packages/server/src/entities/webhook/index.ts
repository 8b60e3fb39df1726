export {
  EventPatternSchema,
  WebhookCreateSchema,
  WebhookSchema,
  WebhookUpdateSchema,
  matchesEvents,
  webhookVerbs,
  webhookView,
} from './webhook';
export type { Webhook, WebhookVerbs, WebhookView } from './webhook';
