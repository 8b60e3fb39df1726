import type * as z from 'zod';

/** One problem with an input: where it is and what is wrong. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

/**
 * An error the API reports to its caller as `{ error: { code, message, issues? } }` with
 * `status`; anything else that escapes is a 500.
 */
export class SwitchyardError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input does not have the required shape or values (400). */
export class ValidationError extends SwitchyardError {
  constructor(message: string, issues: Issue[] = []) {
    super(400, 'invalid_input', message, issues);
  }

  /** Turns zod's issues into ours, with a message that names the first one. */
  static fromZod(error: z.ZodError, what = 'input'): ValidationError {
    const issues = error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      message: i.message,
    }));
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    return new ValidationError(
      `invalid ${what}${where}: ${first?.message ?? 'unknown problem'}`,
      issues,
    );
  }

  /** One issue at one path. */
  static at(path: (string | number)[], message: string): ValidationError {
    return new ValidationError(message, [{ path, message }]);
  }
}

/** No such entity, key or environment (404). */
export class NotFoundError extends SwitchyardError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

/** The entity's state does not allow the verb, or a unique key is taken (409). */
export class ConflictError extends SwitchyardError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

/** A before-hook refused the verb (422); the message is the hook's. */
export class HookRefusedError extends SwitchyardError {
  constructor(
    message: string,
    readonly hook: string,
  ) {
    super(422, 'refused_by_hook', message);
  }
}

/** No key, or one that is unknown or revoked (401). */
export class UnauthorizedError extends SwitchyardError {
  constructor(message = 'a valid API key is required: Authorization: Bearer <key>') {
    super(401, 'unauthorized', message);
  }
}

/** The key is valid but of the wrong kind or environment (403). */
export class ForbiddenError extends SwitchyardError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}
