export { KeyCreateSchema, Keys, MIN_SECRET_LENGTH, keyView } from './keys';
export type { CreatedKey, KeyCreateInput, KeyView } from './keys';
export { hashSecret, keyPrefix, newKeySecret, sameHash } from './key-secret';
export { bootstrapProject } from './bootstrap';
