/** What went wrong, for `SwitchyardError.code`. */
export type SwitchyardErrorCode =
  /** The server refused the key (HTTP 401, close code 4401). Sync stops: retrying would not help. */
  | 'UNAUTHORIZED'
  /** The key may not do this (HTTP 403, close code 4403). Sync stops. */
  | 'FORBIDDEN'
  /** A message, body, cache entry or stored event failed validation. */
  | 'BAD_MESSAGE'
  /** The server reported an error (an `error` message, a 5xx). */
  | 'SERVER_ERROR'
  /** The server refused events of a batch as invalid; they are dropped, not retried. */
  | 'EVENTS_REJECTED'
  /** Events were dropped because the queue was full. */
  | 'QUEUE_OVERFLOW'
  /** `ready()` timed out. */
  | 'TIMEOUT'
  /** The client was closed. */
  | 'CLOSED'
  /** A storage (cache, queue) operation failed. */
  | 'STORAGE';

/** An error the client reports through `onError` / the `error` event, or rejects `ready()` with. */
export class SwitchyardError extends Error {
  declare readonly code: SwitchyardErrorCode;
  /** Extra facts: the rejected events, the close code, the zod message... */
  declare readonly details?: unknown;

  constructor(code: SwitchyardErrorCode, message: string, details?: unknown) {
    super(message);
    Object.assign(this, { name: 'SwitchyardError', code, details });
  }
}
