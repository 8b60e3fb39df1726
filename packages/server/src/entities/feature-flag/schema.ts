import {
  FlagRuleSchema,
  FlagTypeSchema,
  JsonValueSchema,
  PrerequisiteSchema,
} from '@switchyard/core/schema';
import * as z from 'zod';
import { EntityBaseSchema, IdSchema } from '../common';
import { VariantKeySchema } from '../experiment/schema';

/** A flag key: letters, digits, `_ . -`; unique per environment. */
export const FlagKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a flag key is 1–128 letters, digits, _ . or -');

export const FlagVariantInputSchema = z.strictObject({
  key: VariantKeySchema,
  value: JsonValueSchema,
  name: z.string().max(200).optional(),
});

/** The fields a caller sets on a flag. */
const flagFields = {
  key: FlagKeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(5000).optional(),
  type: FlagTypeSchema.optional(),
  variants: z.array(FlagVariantInputSchema).min(1).max(100).optional(),
  /** The variant served when enabled and no rule applies. */
  default: VariantKeySchema.optional(),
  /** The variant served when disabled (absent: the caller's default value). */
  offVariant: VariantKeySchema.optional(),
  rules: z.array(FlagRuleSchema).max(200).optional(),
  /** Share of units (0–100) that get `variant` (or `on`), after the rules. */
  rolloutPercent: z.number().min(0).max(100).optional(),
  /** The one variant this flag rolls out. */
  variant: VariantKeySchema.optional(),
  /** The experiment this flag comes from: the flag buckets with its salt and unit. */
  experiment: IdSchema.optional(),
  enabled: z.boolean().optional(),
  /** Never sent to client (browser) keys. */
  serverOnly: z.boolean().optional(),
  unit: z.string().min(1).max(100).optional(),
  prerequisites: z.array(PrerequisiteSchema).max(20).optional(),
};

export const FlagCreateSchema = z.strictObject(flagFields);

/** An update: any field but the experiment link (which fixes the salt); null removes a field. */
export const FlagUpdateSchema = z
  .strictObject({
    id: IdSchema,
    key: FlagKeySchema.optional(),
    name: flagFields.name.nullable(),
    description: flagFields.description.nullable(),
    type: FlagTypeSchema.optional(),
    variants: z.array(FlagVariantInputSchema).min(1).max(100).optional(),
    default: VariantKeySchema.optional(),
    offVariant: flagFields.offVariant.nullable(),
    rules: flagFields.rules,
    rolloutPercent: flagFields.rolloutPercent.nullable(),
    variant: flagFields.variant.nullable(),
    enabled: z.boolean().optional(),
    serverOnly: z.boolean().optional(),
    unit: flagFields.unit.nullable(),
    prerequisites: flagFields.prerequisites.nullable(),
  })
  .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });

export const FlagRolloutSchema = z.strictObject({
  id: IdSchema,
  percent: z.number().min(0).max(100),
});

/** `rollback`: the rollout goes back to 0%; `reason` is kept in the domain event. */
export const FlagRollbackSchema = z.strictObject({
  id: IdSchema,
  reason: z.string().max(1000).optional(),
});

/** A flag as stored and answered. */
export const FeatureFlagSchema = EntityBaseSchema.extend({
  ...flagFields,
  type: FlagTypeSchema,
  variants: z.array(FlagVariantInputSchema),
  default: z.string(),
  rules: z.array(FlagRuleSchema),
  enabled: z.boolean(),
  serverOnly: z.boolean(),
  /** Fixed at creation (the key then); never changes, even when the key does. */
  salt: z.string(),
  status: z.enum(['Active', 'Archived']),
});
export type FeatureFlag = z.infer<typeof FeatureFlagSchema>;
export type FlagCreateInput = z.output<typeof FlagCreateSchema>;
