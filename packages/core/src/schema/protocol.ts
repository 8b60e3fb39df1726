import * as z from 'zod';
import { ConfigChangeSchema, ConfigSnapshotSchema } from './config';
import { MAX_BATCH_EVENTS } from '../constants';

/** client → server: authenticate and ask for config, resuming from `since` if given. */
export const HelloMessageSchema = z.object({
  type: z.literal('hello'),
  key: z.string().min(1),
  since: z.number().int().nonnegative().optional(),
  /** SDK name and version, for diagnostics. */
  sdk: z.string().max(100).optional(),
});

/** server → client: the whole config at `version`. */
export const SnapshotMessageSchema = ConfigSnapshotSchema.extend({ type: z.literal('snapshot') });

/** server → client: the changes that take a client from version `from` to `to`. */
export const DeltaMessageSchema = z.object({
  type: z.literal('delta'),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  changes: z.array(ConfigChangeSchema),
});

/**
 * client → server: a batch of events. The events themselves are validated one by one by the
 * server (bad ones are rejected with reasons, good ones kept), so here they are opaque.
 */
export const EventsMessageSchema = z.object({
  type: z.literal('events'),
  batchId: z.string().min(1).max(128),
  events: z.array(z.unknown()).max(MAX_BATCH_EVENTS),
});

/** One event of a batch that was refused, by its index in the batch. */
export const RejectedEventSchema = z.object({
  index: z.number().int().nonnegative(),
  id: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type RejectedEvent = z.infer<typeof RejectedEventSchema>;

/** server → client: the batch is durable; `rejected` lists events that were refused. */
export const AckMessageSchema = z.object({
  type: z.literal('ack'),
  batchId: z.string(),
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative().optional(),
  rejected: z.array(RejectedEventSchema).optional(),
});

/** either way: something went wrong. */
export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  batchId: z.string().optional(),
});

/** client → server (server or admin key): deliver domain events of these types from `after`. */
export const SubscribeMessageSchema = z.object({
  type: z.literal('subscribe'),
  /** Subscriber name: delivery progress is kept per name, so a restart resumes. */
  name: z.string().min(1).max(200),
  events: z.array(z.string().min(1)).min(1),
  /**
   * Where a name without stored progress starts: after this seq (default: the end of the log,
   * so only new events). Ignored once the name has progress, which then resumes.
   */
  after: z.number().int().nonnegative().optional(),
  /** Only events of this environment (an admin key's subscription otherwise spans them all). */
  environment: z.string().min(1).max(63).optional(),
});

/** server → client: one domain event for a subscriber; it is redelivered until acked. */
export const DomainEventMessageSchema = z.object({
  type: z.literal('domain'),
  seq: z.number().int().nonnegative(),
  event: z.object({
    seq: z.number().int().nonnegative(),
    type: z.string(),
    entityType: z.string(),
    id: z.string(),
    at: z.string(),
    actor: z.string().optional(),
    environment: z.string().optional(),
    payload: z.record(z.string(), z.unknown()),
    entity: z.record(z.string(), z.unknown()).nullable().optional(),
  }),
});

/** client → server: the domain event `seq` was handled. */
export const DomainAckMessageSchema = z.object({
  type: z.literal('domain-ack'),
  name: z.string().min(1),
  seq: z.number().int().nonnegative(),
});

/** Messages a client may send. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  HelloMessageSchema,
  EventsMessageSchema,
  SubscribeMessageSchema,
  DomainAckMessageSchema,
  ErrorMessageSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Messages a server may send. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  SnapshotMessageSchema,
  DeltaMessageSchema,
  AckMessageSchema,
  ErrorMessageSchema,
  DomainEventMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export type HelloMessage = z.infer<typeof HelloMessageSchema>;
export type SnapshotMessage = z.infer<typeof SnapshotMessageSchema>;
export type DeltaMessage = z.infer<typeof DeltaMessageSchema>;
export type EventsMessage = z.infer<typeof EventsMessageSchema>;
export type AckMessage = z.infer<typeof AckMessageSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
export type SubscribeMessage = z.infer<typeof SubscribeMessageSchema>;
export type DomainEventMessage = z.infer<typeof DomainEventMessageSchema>;
export type DomainAckMessage = z.infer<typeof DomainAckMessageSchema>;
