export { createManagement } from './create-management';
export type { ManagementOptions } from './create-management';
export {
  apiErrorOf,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RefusedError,
  SwitchyardApiError,
  UnauthorizedError,
  ValidationError,
} from './api-error';
export type { ApiErrorCode, ApiIssue, ApiRequestInfo } from './api-error';
export { FACADES, PAST } from './routes';
export type { FacadeName, VerbRoute } from './routes';
export type {
  BatchEvaluation,
  DomainEvent,
  EnvironmentApi,
  EvaluateOptions,
  Evaluation,
  ExperimentReads,
  FacadeHooks,
  FacadeVerbs,
  HookEntity,
  HookRegistrar,
  KeyApi,
  KeyCreateInput,
  LogPage,
  LogQuery,
  Management,
  ManagementFacade,
  RemoteHook,
} from './types';
