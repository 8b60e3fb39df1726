export { featureFlagVerbs } from './verbs';
export type { FeatureFlagVerbs } from './verbs';
export {
  FeatureFlagSchema,
  FlagCreateSchema,
  FlagKeySchema,
  FlagRollbackSchema,
  FlagRolloutSchema,
  FlagUpdateSchema,
} from './schema';
export type { FeatureFlag, FlagCreateInput } from './schema';
export { flagShape } from './shape';
export type { FlagShape } from './shape';
export { assertValidFlag, flagIssues, rolloutVariant } from './validate';
