import {
  ConditionSchema,
  ExperimentStatusSchema,
  JsonValueSchema,
  LayerRangeSchema,
} from '@switchyard/core/schema';
import * as z from 'zod';
import { EntityBaseSchema, IdSchema } from '../common';

/** A variant or flag key: letters, digits, `_ . -`, starting with a letter or digit. */
export const VariantKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a key is 1–64 letters, digits, _ . or -');

/** A metric name as experiments reference it. */
export const MetricNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'a metric name is letters, digits, _ . : or -');

/** A URL-safe slug. */
export const SlugSchema = z
  .string()
  .max(200)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a slug is lower-case words joined by -');

export const ExperimentVariantInputSchema = z.strictObject({
  key: VariantKeySchema,
  weight: z.number().positive().finite(),
  name: z.string().max(200).optional(),
  value: JsonValueSchema.optional(),
});

const VariantsSchema = z
  .array(ExperimentVariantInputSchema)
  .min(2, 'an experiment needs two or more variants')
  .max(50)
  .superRefine((variants, ctx) => {
    const seen = new Set<string>();
    variants.forEach((v, i) => {
      if (seen.has(v.key)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'key'],
          message: `variant key '${v.key}' repeats`,
        });
      }
      seen.add(v.key);
    });
  });

/** The fields a caller sets on an experiment. */
const experimentFields = {
  name: z.string().trim().min(1).max(200),
  slug: SlugSchema.optional(),
  hypothesis: z.string().max(2000).optional(),
  description: z.string().max(5000).optional(),
  variants: VariantsSchema,
  /** The primary metric. */
  metric: MetricNameSchema.optional(),
  secondaryMetrics: z.array(MetricNameSchema).max(20).optional(),
  targetSampleSize: z.number().int().positive().optional(),
  /** Share of eligible units that enter, 0–100 (default 100). */
  trafficAllocation: z.number().min(0).max(100).optional(),
  /** Who is eligible: a condition in the core's language. */
  audience: ConditionSchema.optional(),
  layer: LayerRangeSchema.optional(),
  /** The context attribute units are keyed on (default `userId`). */
  unit: z.string().min(1).max(100).optional(),
  /**
   * Let the server conclude the experiment once `targetSampleSize` is reached and the sequential
   * test is significant at `confidenceLevel`, without a sample-ratio mismatch. Default: on when
   * `targetSampleSize` is set.
   */
  autoConclude: z.boolean().optional(),
  /** Confidence level of the results and of auto-conclusion, in (0.5, 1); default 0.95. */
  confidenceLevel: z.number().gt(0.5).lt(1).optional(),
};

export const ExperimentCreateSchema = z.strictObject(experimentFields);

/** An update: any field but the status; null removes an optional field. */
export const ExperimentUpdateSchema = z
  .strictObject({
    id: IdSchema,
    name: experimentFields.name.optional(),
    slug: SlugSchema.optional(),
    hypothesis: experimentFields.hypothesis.nullable(),
    description: experimentFields.description.nullable(),
    variants: VariantsSchema.optional(),
    metric: experimentFields.metric.nullable(),
    secondaryMetrics: experimentFields.secondaryMetrics.nullable(),
    targetSampleSize: experimentFields.targetSampleSize.nullable(),
    trafficAllocation: experimentFields.trafficAllocation.nullable(),
    audience: experimentFields.audience.nullable(),
    layer: experimentFields.layer.nullable(),
    unit: experimentFields.unit.nullable(),
    autoConclude: experimentFields.autoConclude.nullable(),
    confidenceLevel: experimentFields.confidenceLevel.nullable(),
  })
  .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });

export const ExperimentConcludeSchema = z.strictObject({
  id: IdSchema,
  winner: VariantKeySchema,
  /** How sure the caller is that the winner wins, 0–1. */
  confidence: z.number().min(0).max(1).optional(),
  /** The winner's relative lift over control (0.18 = +18%). */
  lift: z.number().finite().optional(),
});

/** An experiment as stored and answered. */
export const ExperimentSchema = EntityBaseSchema.extend({
  ...experimentFields,
  slug: SlugSchema,
  status: ExperimentStatusSchema,
  winner: z.string().optional(),
  confidence: z.number().optional(),
  lift: z.number().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

/** Whether the server concludes the experiment itself: `autoConclude`, else when it has a target. */
export function autoConcludes(experiment: Experiment): boolean {
  return experiment.autoConclude ?? experiment.targetSampleSize !== undefined;
}

/** A slug from a name: `Onboarding Flow V2` → `onboarding-flow-v2`. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200)
    .replace(/-+$/, '');
  return slug === '' ? 'experiment' : slug;
}
