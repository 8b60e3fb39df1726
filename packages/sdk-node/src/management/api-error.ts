/** One problem with an input, as the server reports it. */
export interface ApiIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The `code` of an API error: the server's (`not_found`, `illegal_transition`, …) or, when no
 * answer came, `unreachable`, `timeout` or `bad_response`.
 */
export type ApiErrorCode =
  | 'invalid_input'
  | 'malformed_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'illegal_transition'
  | 'key_taken'
  | 'archived'
  | 'last_admin_key'
  | 'payload_too_large'
  | 'refused_by_hook'
  | 'internal'
  | 'unreachable'
  | 'timeout'
  | 'bad_response'
  | (string & {});

/** Which request failed. */
export interface ApiRequestInfo {
  method: string;
  /** The path and query, e.g. `/v1/experiments/experiment_xN4yKpTm/conclude`. */
  path: string;
}

/**
 * A management call the server refused or could not answer. `status` is the HTTP status (0 when
 * no answer came), `code` and `message` the server's, `issues` the input problems of a 400.
 * Subclasses name the common cases: `catch (e) { if (e instanceof NotFoundError) … }`.
 */
export class SwitchyardApiError extends Error {
  readonly issues: ApiIssue[];

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly request: ApiRequestInfo,
    issues: ApiIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.issues = issues;
  }
}

/** 400: the input does not have the required shape or values; `issues` say where. */
export class ValidationError extends SwitchyardApiError {}
/** 401: no admin key, or an unknown or revoked one. */
export class UnauthorizedError extends SwitchyardApiError {}
/** 403: the key is of the wrong kind or environment. */
export class ForbiddenError extends SwitchyardApiError {}
/** 404: no such entity, environment or route. */
export class NotFoundError extends SwitchyardApiError {}
/** 409: the entity's state does not allow the verb, or a unique key is taken. */
export class ConflictError extends SwitchyardApiError {}
/** 422: a before-hook on the server refused the verb; the message is the hook's. */
export class RefusedError extends SwitchyardApiError {}

const BY_STATUS: Record<number, typeof SwitchyardApiError> = {
  400: ValidationError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  422: RefusedError,
};

function isIssue(value: unknown): value is ApiIssue {
  const v = value as ApiIssue;
  return (
    typeof v === 'object' && v !== null && Array.isArray(v.path) && typeof v.message === 'string'
  );
}

/** The typed error of an answer with an error status and the body `{ error: { code, message, issues? } }`. */
export function apiErrorOf(
  status: number,
  body: unknown,
  request: ApiRequestInfo,
): SwitchyardApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null)
    ?.error;
  const code =
    typeof error?.code === 'string' ? error.code : status >= 500 ? 'internal' : 'bad_response';
  const message =
    typeof error?.message === 'string'
      ? error.message
      : `${request.method} ${request.path} answered ${status}`;
  const issues = Array.isArray(error?.issues) ? error.issues.filter(isIssue) : [];
  const Kind = BY_STATUS[status] ?? SwitchyardApiError;
  return new Kind(status, code, message, request, issues);
}
