import { evalCondition } from '@switchyard/core';
import { ConditionSchema } from '@switchyard/core/schema';
import * as z from 'zod';

/** Most items one `find` returns. */
export const MAX_FIND_LIMIT = 1000;

/** An instant as ISO-8601 or milliseconds since the epoch, normalized to ISO. */
export const InstantSchema = z
  // 8.64e15 ms is the last instant a Date can hold.
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative().max(8.64e15)])
  .transform((v) => new Date(v).toISOString());

/** The input of every `find`: a condition in the core's language, sort, paging, and `asOf`. */
export const FindInputSchema = z.strictObject({
  filter: ConditionSchema.optional(),
  /** A field path, `-` in front for descending: `-createdAt`, `name`. */
  sort: z
    .string()
    .regex(/^-?[A-Za-z$_][\w$.]*$/, 'sort is a field path, optionally prefixed with -')
    .optional(),
  limit: z.number().int().min(1).max(MAX_FIND_LIMIT).default(100),
  offset: z.number().int().min(0).default(0),
  /** Answer with the states as they were at this instant, rebuilt from the domain log. */
  asOf: InstantSchema.optional(),
});
export type FindInput = z.output<typeof FindInputSchema>;

/** A page of found items and how many matched in all. */
export interface FindResult<T> {
  data: T[];
  total: number;
}

function valueAt(item: unknown, path: string): unknown {
  let value: unknown = item;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

// Missing values sort last; numbers before strings; otherwise natural order.
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Filters, sorts and pages `items` (stable: ties keep their order). */
export function findIn<T>(items: readonly T[], input: FindInput): FindResult<T> {
  const filter = input.filter;
  const matching =
    filter === undefined
      ? [...items]
      : items.filter((item) => evalCondition(item as Record<string, unknown>, filter));
  if (input.sort !== undefined) {
    const descending = input.sort.startsWith('-');
    const path = descending ? input.sort.slice(1) : input.sort;
    const sign = descending ? -1 : 1;
    matching.sort((a, b) => sign * compare(valueAt(a, path), valueAt(b, path)));
  }
  return {
    data: matching.slice(input.offset, input.offset + input.limit),
    total: matching.length,
  };
}
