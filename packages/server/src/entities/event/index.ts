export { EventCreateSchema, eventVerbs } from './event';
export type { EventVerbs } from './event';
