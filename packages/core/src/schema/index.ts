export { ConditionSchema, JsonValueSchema } from './condition';
export type { Condition, JsonValue } from './condition';
export {
  ConfigChangeSchema,
  ConfigSnapshotSchema,
  ExperimentConfigSchema,
  ExperimentStatusSchema,
  ExperimentVariantSchema,
  FlagConfigSchema,
  FlagRuleSchema,
  FlagTypeSchema,
  FlagVariantSchema,
  LayerRangeSchema,
  PrerequisiteSchema,
  WeightedVariantSchema,
  WinnerOrderSchema,
} from './config';
export type {
  ConfigChange,
  ConfigSnapshot,
  ExperimentConfig,
  ExperimentStatus,
  ExperimentVariant,
  FlagConfig,
  FlagRule,
  FlagType,
  FlagVariant,
  LayerRange,
  Prerequisite,
  WeightedVariant,
  WinnerOrder,
} from './config';
export { EventSchema, ExposureEventSchema, TrackEventSchema } from './event';
export type { ExposureEvent, IngestEvent, TrackEvent } from './event';
export {
  AckMessageSchema,
  ClientMessageSchema,
  DeltaMessageSchema,
  DomainAckMessageSchema,
  DomainEventMessageSchema,
  ErrorMessageSchema,
  EventsMessageSchema,
  HelloMessageSchema,
  RejectedEventSchema,
  ServerMessageSchema,
  SnapshotMessageSchema,
  SubscribeMessageSchema,
} from './protocol';
export type {
  AckMessage,
  ClientMessage,
  DeltaMessage,
  DomainAckMessage,
  DomainEventMessage,
  ErrorMessage,
  EventsMessage,
  HelloMessage,
  RejectedEvent,
  ServerMessage,
  SnapshotMessage,
  SubscribeMessage,
} from './protocol';
export { CloseCodes, EXPOSURE_EVENT, MAX_BATCH_EVENTS } from '../constants';
