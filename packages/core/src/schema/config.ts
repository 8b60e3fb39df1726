import * as z from 'zod';
import { ConditionSchema, JsonValueSchema } from './condition';

/** The kinds of value a flag serves. */
export const FlagTypeSchema = z.enum(['boolean', 'string', 'number', 'json']);
export type FlagType = z.infer<typeof FlagTypeSchema>;

/** A named value a flag or experiment can serve. */
export const FlagVariantSchema = z.object({
  key: z.string().min(1),
  value: JsonValueSchema,
  name: z.string().optional(),
});
export type FlagVariant = z.infer<typeof FlagVariantSchema>;

/** A weighted share of a split rule. */
export const WeightedVariantSchema = z.object({
  variant: z.string().min(1),
  weight: z.number().positive(),
});
export type WeightedVariant = z.infer<typeof WeightedVariantSchema>;

/**
 * Orders units for a winner-first rollout: a unit's rollout position is
 * `(position(salt, 'variant', unit) - start) mod 1`, so the units that saw the
 * winning variant (which started at `start`) are admitted first.
 */
export const WinnerOrderSchema = z.object({
  start: z.number().min(0).max(1),
});
export type WinnerOrder = z.infer<typeof WinnerOrderSchema>;

/**
 * One targeting rule of a flag. Rules are tried in order:
 * - `condition` must match the context (absent = always);
 * - `rollout` (0–100) admits only that share of units; the others fall through to the next rule;
 * - then the rule serves a fixed `variant`, a weighted `split`, or the variant of `experiment`
 *   (a unit the experiment does not assign falls through).
 */
export const FlagRuleSchema = z
  .object({
    id: z.string().optional(),
    description: z.string().optional(),
    condition: ConditionSchema.optional(),
    rollout: z.number().min(0).max(100).optional(),
    order: WinnerOrderSchema.optional(),
    variant: z.string().min(1).optional(),
    split: z.array(WeightedVariantSchema).min(1).optional(),
    experiment: z.string().min(1).optional(),
  })
  .refine((r) => [r.variant, r.split, r.experiment].filter((x) => x !== undefined).length === 1, {
    message: 'a rule serves exactly one of variant, split or experiment',
  });
export type FlagRule = z.infer<typeof FlagRuleSchema>;

/** A flag that must serve one of `variants` before this flag is evaluated. */
export const PrerequisiteSchema = z.object({
  flag: z.string().min(1),
  variants: z.array(z.string().min(1)).min(1),
});
export type Prerequisite = z.infer<typeof PrerequisiteSchema>;

/** A flag as sent to SDKs: everything needed to evaluate it locally. */
export const FlagConfigSchema = z.object({
  key: z.string().min(1),
  /** Fixed at creation, never changes: the bucketing salt. */
  salt: z.string().min(1),
  type: FlagTypeSchema,
  enabled: z.boolean(),
  variants: z.array(FlagVariantSchema).min(1),
  /** Served when enabled and no rule applies. */
  defaultVariant: z.string().min(1),
  /** Served when disabled; absent means the caller's default value. */
  offVariant: z.string().min(1).optional(),
  rules: z.array(FlagRuleSchema).default([]),
  prerequisites: z.array(PrerequisiteSchema).optional(),
  /** Context attribute that is hashed (default `userId`). */
  unit: z.string().min(1).optional(),
  /** Never sent to client (browser) keys. */
  serverOnly: z.boolean().optional(),
});
export type FlagConfig = z.infer<typeof FlagConfigSchema>;

export const ExperimentStatusSchema = z.enum([
  'Draft',
  'Running',
  'Paused',
  'Concluded',
  'Stopped',
  'Archived',
]);
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

export const ExperimentVariantSchema = z.object({
  key: z.string().min(1),
  weight: z.number().positive(),
  name: z.string().optional(),
  value: JsonValueSchema.optional(),
});
export type ExperimentVariant = z.infer<typeof ExperimentVariantSchema>;

/** An experiment's slice of a layer: it owns units whose layer position is in [start, end). */
export const LayerRangeSchema = z
  .object({
    id: z.string().min(1),
    start: z.number().min(0).max(1),
    end: z.number().min(0).max(1),
  })
  .refine((l) => l.start <= l.end, { message: 'layer start must not exceed end' });
export type LayerRange = z.infer<typeof LayerRangeSchema>;

/** An experiment as sent to SDKs. */
export const ExperimentConfigSchema = z.object({
  id: z.string().min(1),
  salt: z.string().min(1),
  status: ExperimentStatusSchema,
  variants: z.array(ExperimentVariantSchema).min(2),
  /** Share of eligible units that enter, 0–100 (default 100). */
  trafficAllocation: z.number().min(0).max(100).optional(),
  audience: ConditionSchema.optional(),
  layer: LayerRangeSchema.optional(),
  unit: z.string().min(1).optional(),
  winner: z.string().min(1).optional(),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

/** Everything an SDK of one environment needs, at one version of the domain log. */
export const ConfigSnapshotSchema = z.object({
  version: z.number().int().nonnegative(),
  environment: z.string().min(1),
  flags: z.record(z.string(), FlagConfigSchema),
  experiments: z.record(z.string(), ExperimentConfigSchema),
  /** Saved segments by key, for `$inSegment`. */
  segments: z.record(z.string(), ConditionSchema),
});
export type ConfigSnapshot = z.infer<typeof ConfigSnapshotSchema>;

/** One entity's new state in a delta; `value: null` means it was removed. */
export const ConfigChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flag'), key: z.string(), value: FlagConfigSchema.nullable() }),
  z.object({
    kind: z.literal('experiment'),
    key: z.string(),
    value: ExperimentConfigSchema.nullable(),
  }),
  z.object({ kind: z.literal('segment'), key: z.string(), value: ConditionSchema.nullable() }),
]);
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;
