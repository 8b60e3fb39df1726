import * as z from 'zod';
import { GUARDED_ACTION } from '../../analysis/guarded-flags';
import { StepErrorSchema, StepRunSchema } from '../../scheduler/step-runs';
import { DELAY_PATTERN, delayMinutes, parseDelay } from '../../scheduler/time/delay';
import { isTimeZone } from '../../scheduler/time/time-zone';
import { EntityBaseSchema, IdSchema, InstantSchema } from '../common';
import { MetricNameSchema } from '../experiment/schema';
import { parseCron } from './cron';

/** A delay after the workflow's start: `0`, `30m`, `12h`, `3d`, `1w`. */
export const DelaySchema = z
  .string()
  .regex(DELAY_PATTERN, 'a delay is 0 or a number and w, d, h or m (1w, 3d, 12h, 30m)');

const CronSchema = z
  .string()
  .max(200)
  .superRefine((text, ctx) => {
    try {
      parseCron(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

export const TriggerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('schedule'),
    cron: CronSchema,
    /** The IANA time zone the cron expression reads its wall clock in (default UTC). */
    timezone: z
      .string()
      .max(100)
      .refine(isTimeZone, 'not an IANA time zone this server knows (e.g. Europe/Berlin, UTC)')
      .optional(),
  }),
  /**
   * Waits for the first domain event of type `event` (`experiment.concluded`) committed in the
   * workflow's environment after its creation, about the entity `entity` (an id, or a key for
   * keyed types) when given; its steps count their delays from then.
   */
  z.strictObject({
    type: z.literal('event'),
    event: z.string().min(1).max(200),
    entity: z.string().min(1).max(200).optional(),
  }),
  /** Waits for `Workflow.trigger`; its steps count their delays from then. */
  z.strictObject({ type: z.literal('manual') }),
]);
export type Trigger = z.infer<typeof TriggerSchema>;

/**
 * Stops a rollout when the guard metric of the units that got the flag is significantly worse
 * (sequential test) than that of the rest, by more than `maxDrop` (relative). `metric` names a
 * metric defined with `Metric.define`.
 */
export const GuardSchema = z.strictObject({
  metric: MetricNameSchema,
  /** The relative drop that stops the workflow (0.05 = 5%). */
  maxDrop: z.number().positive().max(1),
});

/** What a guard saw when it stopped a workflow and rolled its flag back. */
export const GuardTripSchema = z.object({
  step: z.number(),
  flag: z.string(),
  metric: z.string(),
  /** The rollout percent whose units were compared. */
  percent: z.number(),
  /** Relative lift of the units with the flag over the rest (negative: a drop). */
  relativeLift: z.number().nullable(),
  /** The always-valid p-value of the comparison. */
  pValue: z.number().nullable(),
  maxDrop: z.number(),
  at: z.string(),
});
export type GuardTrip = z.infer<typeof GuardTripSchema>;

/** Finds the input schema of a write verb named like `FeatureFlag.rollout`. */
export type ActionLookup = (action: string) => z.ZodType | undefined;

/** True when `type` is the domain event of a write verb (`experiment.concluded`). */
export type DomainEventLookup = (type: string) => boolean;

/**
 * A step: a verb call (`action` plus the verb's own arguments), when it runs, and a guard.
 * The arguments are checked against the verb's input schema.
 */
export function stepSchema(lookup: ActionLookup) {
  return z
    .looseObject({
      action: z
        .string()
        .regex(/^[A-Z][A-Za-z]*\.[a-z]+$/, 'an action is a verb like FeatureFlag.rollout'),
      delay: DelaySchema.optional(),
      guard: GuardSchema.optional(),
    })
    .superRefine((step, ctx) => {
      const input = lookup(step.action);
      if (!input) {
        ctx.addIssue({
          code: 'custom',
          path: ['action'],
          message: `'${step.action}' is not a write verb`,
        });
        return;
      }
      // A guard watches the flag a rollout moves; that its metric exists is checked by the verb.
      if (step.guard !== undefined && step.action !== GUARDED_ACTION) {
        ctx.addIssue({
          code: 'custom',
          path: ['guard'],
          message: `a guard watches the flag of a ${GUARDED_ACTION} step, not ${step.action}`,
        });
      }
      const { action: _a, delay: _d, guard: _g, ...args } = step;
      const parsed = input.safeParse(args);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({
            code: 'custom',
            path: issue.path as PropertyKey[],
            message: issue.message,
          });
        }
      }
    });
}

/** A trigger whose event, if it waits for one, is a domain event of a write verb. */
function knownTrigger(isDomainEvent: DomainEventLookup) {
  return TriggerSchema.superRefine((trigger, ctx) => {
    if (trigger.type !== 'event' || isDomainEvent(trigger.event)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['event'],
      message: `'${trigger.event}' is not a domain event a trigger can wait for: name a write verb's, like experiment.concluded or featureflag.rolledout`,
    });
  });
}

function workflowFields(lookup: ActionLookup, isDomainEvent: DomainEventLookup) {
  return {
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    trigger: knownTrigger(isDomainEvent),
    steps: z.array(stepSchema(lookup)).min(1).max(100).superRefine(delaysInOrder),
  };
}

/** Steps run in order, so a step's delay may not be shorter than the one before it. */
function delaysInOrder(steps: { delay?: string | undefined }[], ctx: z.RefinementCtx): void {
  let previous = 0;
  steps.forEach((step, i) => {
    if (step.delay === undefined || !DELAY_PATTERN.test(step.delay)) return;
    const minutes = delayMinutes(parseDelay(step.delay));
    if (minutes < previous) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'delay'],
        message: `steps run in order: step ${i}'s delay ${step.delay} is shorter than an earlier step's`,
      });
    }
    previous = Math.max(previous, minutes);
  });
}

/** When the steps' delays start to count; default now, and never earlier than now. */
const StartAtSchema = InstantSchema.refine(
  (iso) => Date.parse(iso) < Date.UTC(9000, 0, 1),
  'startAt must be before the year 9000',
).optional();

/**
 * A workflow waiting for its trigger starts at the trigger, not at a time given beforehand: only
 * a schedule trigger takes `startAt` (checked on create here, on update against the stored
 * trigger by `assertEditable`).
 */
export const startsOnSchedule = (input: {
  trigger: { type: string };
  startAt?: unknown;
}): boolean => input.startAt === undefined || input.trigger.type === 'schedule';
export const START_ON_TRIGGER = {
  path: ['startAt'],
  message:
    'only a schedule trigger takes startAt: a manual or event workflow starts when triggered',
};

export function workflowCreateSchema(lookup: ActionLookup, isDomainEvent: DomainEventLookup) {
  return z
    .strictObject({ ...workflowFields(lookup, isDomainEvent), startAt: StartAtSchema })
    .refine(startsOnSchedule, START_ON_TRIGGER);
}

export function workflowUpdateSchema(lookup: ActionLookup, isDomainEvent: DomainEventLookup) {
  const fields = workflowFields(lookup, isDomainEvent);
  return z
    .strictObject({
      id: IdSchema,
      name: fields.name.optional(),
      description: fields.description.nullable(),
      trigger: fields.trigger.optional(),
      steps: fields.steps.optional(),
      startAt: StartAtSchema,
    })
    .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });
}

/** A step as stored. */
export type WorkflowStep = {
  action: string;
  delay?: string;
  guard?: z.infer<typeof GuardSchema>;
} & Record<string, unknown>;

/**
 * Waiting (a manual or event workflow before its trigger) → Active once triggered; a schedule
 * workflow is Active from its creation. Waiting or Active ⇄ Paused → Cancelled; Active →
 * Completed after its last step, Failed with a step, or RolledBack when a guard stopped it (and
 * rolled its flag back to 0%).
 */
export const WorkflowStatusSchema = z.enum([
  'Waiting',
  'Active',
  'Paused',
  'Cancelled',
  'Completed',
  'Failed',
  'RolledBack',
]);
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

/** The statuses of a workflow that has not ended. */
export const LIVE_WORKFLOW_STATUSES = [
  'Waiting',
  'Active',
  'Paused',
] as const satisfies readonly WorkflowStatus[];

/** What started a manual or event workflow. */
export const TriggeredBySchema = z.object({
  /** Who called `Workflow.trigger`, or who wrote the event that triggered it. */
  actor: z.string(),
  /** Event triggers: the event's type, its seq in the domain log and the entity it is about. */
  event: z.string().optional(),
  seq: z.number().optional(),
  entity: z.string().optional(),
});
export type TriggeredBy = z.infer<typeof TriggeredBySchema>;

/** A workflow as stored and answered; the scheduler (src/scheduler) runs its steps once started. */
export const WorkflowSchema = EntityBaseSchema.extend({
  name: z.string(),
  description: z.string().optional(),
  trigger: TriggerSchema,
  steps: z.array(z.custom<WorkflowStep>()),
  status: WorkflowStatusSchema,
  /**
   * When the steps' delays started to count (ISO): a schedule workflow's start; a manual or
   * event workflow's trigger time (absent while it waits).
   */
  startAt: z.string().optional(),
  /**
   * Manual and event workflows: when they were triggered (ISO), null while they wait. Schedule
   * workflows have none: they start at `startAt`.
   */
  triggeredAt: z.string().nullable().optional(),
  triggeredBy: TriggeredBySchema.optional(),
  /** Started workflows: the run of each step, in step order (absent while one waits). */
  runs: z.array(StepRunSchema).optional(),
  /** While Paused: since when (ISO). */
  pausedAt: z.string().optional(),
  /** Time spent paused before, in ms: it moved every pending step later. */
  pausedMs: z.number().optional(),
  /** Why it Failed (the step and its verb's error) or was RolledBack (`guard_tripped`). */
  error: StepErrorSchema.extend({ step: z.number() }).optional(),
  /** When RolledBack: what the guard saw. */
  guardTrip: GuardTripSchema.optional(),
});
export type Workflow = z.infer<typeof WorkflowSchema>;
