import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { Keys } from '../keys/keys';
import type { KeyKind, KeyRecord } from '../store/records';

/** The verified key of the request. */
export function keyOf(res: Response): KeyRecord {
  return res.locals.key as KeyRecord;
}

/** The bearer secret of a request, if it carries one. */
export function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Lets through requests whose key is live and of one of `kinds`: no or unknown key → 401,
 * a key of another kind → 403.
 */
export function requireKey(keys: Keys, ...kinds: KeyKind[]): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const secret = bearer(req);
    const key = secret === undefined ? null : await keys.verify(secret);
    if (!key) throw new UnauthorizedError();
    if (!kinds.includes(key.kind)) {
      throw new ForbiddenError(
        `a ${key.kind} key may not use this route; it needs a ${kinds.join(' or ')} key`,
      );
    }
    res.locals.key = key;
    next();
  };
}
