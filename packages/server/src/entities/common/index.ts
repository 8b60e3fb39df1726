export {
  EntityBaseSchema,
  IdInputSchema,
  IdSchema,
  applyPatch,
  changedFields,
  loadEntity,
  newEntityBase,
  saveEntity,
  stateOf,
} from './entity-base';
export type { EntityBase } from './entity-base';
export { FindInputSchema, InstantSchema, MAX_FIND_LIMIT, findIn } from './find';
export type { FindInput, FindResult } from './find';
export {
  GetInputSchema,
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  updateVerb,
} from './standard-verbs';
export type { UpdateOptions, View } from './standard-verbs';
