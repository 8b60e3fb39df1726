export { SegmentCreateSchema, SegmentSchema, SegmentUpdateSchema, segmentVerbs } from './segment';
export type { Segment, SegmentVerbs } from './segment';
