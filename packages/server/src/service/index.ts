export { DEFAULT_ENVIRONMENT, Switchyard } from './switchyard';
export type { SwitchyardOptions, VerbObserver } from './switchyard';
export { DEFAULT_ENVIRONMENTS, EnvironmentNameSchema, Environments } from './environments';
