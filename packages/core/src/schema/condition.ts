import * as z from 'zod';

/**
 * A targeting condition in MongoDB query syntax, e.g.
 * `{ country: { $in: ['DE', 'FR'] }, 'org.tier': 'Enterprise' }`.
 * Its structure is checked by evaluation itself (an unknown operator makes it false),
 * so the schema only requires a plain object.
 */
export const ConditionSchema = z.record(z.string(), z.unknown());
export type Condition = z.infer<typeof ConditionSchema>;

/** A JSON value, as carried by flag and experiment variants. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);
