export { workflowVerbs } from './verbs';
export type { WorkflowVerbs } from './verbs';
export { parseCron } from './cron';
export type { CronSchedule } from './cron';
export {
  DelaySchema,
  GuardSchema,
  GuardTripSchema,
  TriggerSchema,
  WorkflowSchema,
  stepSchema,
  workflowCreateSchema,
  workflowUpdateSchema,
} from './schema';
export type { ActionLookup, GuardTrip, Workflow, WorkflowStep } from './schema';
export { assertGuardMetrics } from './guard-metrics';
