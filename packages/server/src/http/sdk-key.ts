import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { KeyVerifier } from '../keys/key-verifier';
import type { KeyKind } from '../store/records';
import { bearer } from './auth';
import { queryString } from './request-input';

/** How `sdkKey` checks a request's key. */
export interface SdkKeyOptions {
  kinds: readonly KeyKind[];
  /**
   * Also take a client key from `?key=`, for `navigator.sendBeacon`, which cannot set headers.
   * Only client keys: server keys are secrets that must not travel in URLs (and logs).
   */
  clientKeyInQuery?: boolean;
  /** Admin keys leave this router for the next route of the same path (the management API). */
  adminToNextRoute?: boolean;
}

/**
 * Checks the key of an SDK route with a short-lived cache (see `CachedKeyVerifier`): none or
 * unknown → 401, another kind → 403; the key goes to `res.locals.key`.
 */
export function sdkKey(keys: KeyVerifier, o: SdkKeyOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const fromHeader = bearer(req);
    const fromQuery = o.clientKeyInQuery ? queryString(req, 'key') : undefined;
    const secret = fromHeader ?? fromQuery;
    const key = secret === undefined ? null : await keys.verify(secret);
    if (!key) throw new UnauthorizedError();
    if (fromHeader === undefined && key.kind !== 'client') {
      throw new ForbiddenError('only client keys may be given in the URL; send others as a bearer');
    }
    if (key.kind === 'admin' && o.adminToNextRoute) return next('router');
    if (!o.kinds.includes(key.kind)) {
      throw new ForbiddenError(
        `a ${key.kind} key may not use this route; it needs a ${o.kinds.join(' or ')} key`,
      );
    }
    res.locals.key = key;
    next();
  };
}
