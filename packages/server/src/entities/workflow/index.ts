export { workflowVerbs } from './verbs';
export type { WorkflowVerbs } from './verbs';
export { parseCron } from './cron';
export type { CronSchedule } from './cron';
export {
  DelaySchema,
  GuardSchema,
  TriggerSchema,
  WorkflowSchema,
  stepSchema,
  workflowCreateSchema,
  workflowUpdateSchema,
} from './schema';
export type { ActionLookup, Workflow, WorkflowStep } from './schema';
