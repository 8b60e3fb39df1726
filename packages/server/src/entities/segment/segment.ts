import { ConditionSchema } from '@switchyard/core/schema';
import * as z from 'zod';
import { writeVerb } from '../../verbs/verb';
import {
  EntityBaseSchema,
  IdSchema,
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  newEntityBase,
  saveEntity,
  updateVerb,
} from '../common';
import { FlagKeySchema } from '../feature-flag/schema';

const TYPE = 'Segment';

export const SegmentCreateSchema = z.strictObject({
  /** Referenced by `$inSegment`; unique per environment. */
  key: FlagKeySchema,
  name: z.string().max(200).optional(),
  description: z.string().max(5000).optional(),
  condition: ConditionSchema,
});

export const SegmentUpdateSchema = z
  .strictObject({
    id: IdSchema,
    key: FlagKeySchema.optional(),
    name: z.string().max(200).nullable().optional(),
    description: z.string().max(5000).nullable().optional(),
    condition: ConditionSchema.optional(),
  })
  .refine((u) => Object.keys(u).length > 1, { message: 'an update needs at least one field' });

/** A named, saved condition. */
export const SegmentSchema = EntityBaseSchema.extend(SegmentCreateSchema.shape);
export type Segment = z.infer<typeof SegmentSchema>;

/** The verbs of segments. */
export const segmentVerbs = {
  create: writeVerb({
    input: SegmentCreateSchema,
    async apply(tx, input, call) {
      const segment: Segment = { ...newEntityBase(TYPE, call), ...input };
      await saveEntity(tx, segment, segment.key);
      return { result: segment, event: changeEvent(segment, { key: segment.key }) };
    },
  }),
  update: updateVerb<typeof SegmentUpdateSchema, Segment>(TYPE, SegmentUpdateSchema, {
    key: (segment) => segment.key,
  }),
  delete: deleteVerb<Segment>(TYPE),
  get: getVerb<Segment>(TYPE),
  find: findVerb<Segment>(TYPE),
};

/** The verbs of segments, by name. */
export type SegmentVerbs = typeof segmentVerbs;
