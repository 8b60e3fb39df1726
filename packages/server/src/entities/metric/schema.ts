import { ConditionSchema } from '@switchyard/core/schema';
import * as z from 'zod';
import { EntityBaseSchema, IdSchema, InstantSchema } from '../common';
import { MetricNameSchema } from '../experiment/schema';

/** An event type as metrics reference it. */
const EventTypeSchema = z.string().min(1).max(200);

const metricFields = {
  /** Unique per environment; experiments name their metrics by it. */
  name: MetricNameSchema,
  description: z.string().max(5000).optional(),
  /**
   * conversion: share of exposed units with at least one `event` (matching `condition`);
   * mean: per-unit mean (or sum) of the numeric `property` of `event`; count: events per unit.
   */
  kind: z.enum(['conversion', 'mean', 'count']),
  event: EventTypeSchema,
  property: z.string().min(1).max(200).optional(),
  /** For mean metrics: average the property's values per unit, or add them up. */
  aggregate: z.enum(['mean', 'sum']).optional(),
  /** Only events whose properties match count. */
  condition: ConditionSchema.optional(),
  /** False when lower is better (latency, churn). Default true. */
  higherIsBetter: z.boolean().optional(),
};

function needsProperty(m: { kind?: string; property?: string | null }) {
  return m.kind !== 'mean' || (m.property !== undefined && m.property !== null);
}

export const MetricDefineSchema = z
  .strictObject(metricFields)
  .refine(needsProperty, { path: ['property'], message: 'a mean metric needs a property' });

export const MetricUpdateSchema = z
  .strictObject({
    id: IdSchema,
    description: metricFields.description.nullable(),
    kind: metricFields.kind.optional(),
    event: EventTypeSchema.optional(),
    property: metricFields.property.nullable(),
    aggregate: metricFields.aggregate.nullable(),
    condition: metricFields.condition.nullable(),
    higherIsBetter: metricFields.higherIsBetter,
  })
  .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });

/** A data point: `Metric.record({ name, value, dimensions })`. */
export const MetricRecordSchema = z.strictObject({
  name: MetricNameSchema,
  value: z.number().finite(),
  dimensions: z
    .record(
      z.string().min(1).max(100),
      z.union([z.string().max(500), z.number().finite(), z.boolean()]),
    )
    .optional(),
  /** When it was measured (default: now). */
  at: InstantSchema.optional(),
});

export const MetricPointsQuerySchema = z.strictObject({
  name: MetricNameSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});

/** A metric definition as stored and answered. */
export const MetricSchema = EntityBaseSchema.extend(metricFields);
export type Metric = z.infer<typeof MetricSchema>;
