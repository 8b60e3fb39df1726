import * as z from 'zod';
import { EntityBaseSchema, IdSchema } from '../common';
import { MetricNameSchema } from '../experiment/schema';
import { parseCron } from './cron';

/** A delay after the workflow's start: `0w`, `3d`, `12h`, `30m`. */
export const DelaySchema = z
  .string()
  .regex(/^\d{1,4}[wdhm]$/, 'a delay is a number and w, d, h or m');

const CronSchema = z.string().superRefine((text, ctx) => {
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
    timezone: z.string().max(100).optional(),
  }),
  z.strictObject({ type: z.literal('event'), event: z.string().min(1).max(200) }),
  z.strictObject({ type: z.literal('manual') }),
]);

/** Stops a rollout when the guard metric of the units with the flag drops too much. */
export const GuardSchema = z.strictObject({
  metric: MetricNameSchema,
  /** The relative drop that stops the workflow (0.05 = 5%). */
  maxDrop: z.number().positive().max(1),
});

/** Finds the input schema of a write verb named like `FeatureFlag.rollout`. */
export type ActionLookup = (action: string) => z.ZodType | undefined;

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

function workflowFields(lookup: ActionLookup) {
  return {
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    trigger: TriggerSchema,
    steps: z.array(stepSchema(lookup)).min(1).max(100),
  };
}

export function workflowCreateSchema(lookup: ActionLookup) {
  return z.strictObject(workflowFields(lookup));
}

export function workflowUpdateSchema(lookup: ActionLookup) {
  const fields = workflowFields(lookup);
  return z
    .strictObject({
      id: IdSchema,
      name: fields.name.optional(),
      description: fields.description.nullable(),
      trigger: fields.trigger.optional(),
      steps: fields.steps.optional(),
    })
    .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });
}

/** A step as stored. */
export type WorkflowStep = {
  action: string;
  delay?: string;
  guard?: z.infer<typeof GuardSchema>;
} & Record<string, unknown>;

/** A workflow as stored and answered; the analysis issue's scheduler runs it. */
export const WorkflowSchema = EntityBaseSchema.extend({
  name: z.string(),
  description: z.string().optional(),
  trigger: TriggerSchema,
  steps: z.array(z.custom<WorkflowStep>()),
  status: z.enum(['Active', 'Paused', 'Cancelled', 'Completed']),
});
export type Workflow = z.infer<typeof WorkflowSchema>;
