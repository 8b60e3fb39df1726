export { workflowVerbs } from './verbs';
export type { WorkflowVerbs } from './verbs';
export { parseCron } from './cron';
export type { CronSchedule } from './cron';
export {
  DelaySchema,
  GuardSchema,
  GuardTripSchema,
  TriggerSchema,
  TriggeredBySchema,
  WorkflowSchema,
  stepSchema,
  workflowCreateSchema,
  workflowUpdateSchema,
} from './schema';
export type {
  ActionLookup,
  DomainEventLookup,
  GuardTrip,
  Trigger,
  TriggeredBy,
  Workflow,
  WorkflowStep,
} from './schema';
export { eventTriggerActor, eventTriggers } from './event-triggers';
export type { EventTrigger } from './event-triggers';
export { assertGuardMetrics } from './guard-metrics';
