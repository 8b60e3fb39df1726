import * as z from 'zod';
import { randomBase62 } from '../../ids';
import { webhookCursor } from '../../webhooks/cursor';
import { writeVerb } from '../../verbs/verb';
import {
  EntityBaseSchema,
  IdSchema,
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  newEntityBase,
  saveEntity,
  updateVerb,
} from '../common';

const TYPE = 'Webhook';

/** An event-type pattern: `experiment.concluded`, `experiment.*` or `*`. */
export const EventPatternSchema = z
  .string()
  .regex(
    /^(\*|[a-z][a-z0-9]*\.(\*|[a-z][a-z0-9_]*))$/,
    'an event pattern is like experiment.concluded, experiment.* or *',
  );

const UrlSchema = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname }).max(2000);

const webhookFields = {
  url: UrlSchema,
  events: z.array(EventPatternSchema).min(1).max(100),
  /** Signs deliveries (HMAC-SHA256); generated when absent. Shown once, on creation. */
  secret: z.string().min(16).max(200).optional(),
  description: z.string().max(5000).optional(),
  active: z.boolean().optional(),
};

export const WebhookCreateSchema = z.strictObject(webhookFields);

export const WebhookUpdateSchema = z
  .strictObject({
    id: IdSchema,
    url: UrlSchema.optional(),
    events: webhookFields.events.optional(),
    secret: webhookFields.secret,
    description: webhookFields.description.nullable(),
    active: webhookFields.active,
  })
  .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });

/** A webhook subscription as stored (with its secret). */
export const WebhookSchema = EntityBaseSchema.extend({
  ...webhookFields,
  secret: z.string(),
  active: z.boolean(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** A webhook as answered after creation: the secret is reduced to a hint. */
export type WebhookView = Omit<Webhook, 'secret'> & { secretHint: string };

/** Hides the secret. */
export function webhookView(webhook: Webhook | WebhookView): WebhookView {
  // States rebuilt from the log (`asOf`) are views already.
  if (!('secret' in webhook)) return webhook;
  const { secret, ...rest } = webhook;
  return { ...rest, secretHint: `${secret.slice(0, 10)}…` };
}

/** True when `eventType` matches one of the patterns. */
export function matchesEvents(patterns: readonly string[], eventType: string): boolean {
  const prefix = eventType.split('.')[0];
  return patterns.some((p) => p === '*' || p === eventType || p === `${prefix}.*`);
}

/** The verbs of webhook subscriptions. */
export const webhookVerbs = {
  create: writeVerb({
    input: WebhookCreateSchema,
    async apply(tx, input, call) {
      const webhook: Webhook = {
        ...newEntityBase(TYPE, call),
        ...input,
        secret: input.secret ?? `whsec_${randomBase62(32)}`,
        active: input.active ?? true,
      };
      await saveEntity(tx, webhook);
      // Deliveries start with the events after this one's creation.
      await tx.setCursor(webhookCursor(webhook.$id), await tx.latestSeq());
      const view = webhookView(webhook);
      // The creator sees the secret once; the log never holds it.
      return {
        result: { ...view, secret: webhook.secret },
        event: changeEvent(webhook, { $id: webhook.$id, events: webhook.events }, { ...view }),
      };
    },
  }),
  update: updateVerb<typeof WebhookUpdateSchema, Webhook, WebhookView>(TYPE, WebhookUpdateSchema, {
    view: webhookView,
  }),
  delete: deleteVerb<Webhook, WebhookView>(TYPE, undefined, webhookView),
  get: getVerb<Webhook, WebhookView>(TYPE, webhookView),
  find: findVerb<Webhook, WebhookView>(TYPE, webhookView),
};

/** The verbs of webhooks, by name. */
export type WebhookVerbs = typeof webhookVerbs;
