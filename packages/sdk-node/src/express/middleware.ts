import type { EvaluationContext } from '@switchyard/core';
import type { BootstrapPayload, ContextClient, SwitchyardClient } from '@switchyard/sdk-core';
import { bootstrapPayload } from '../bootstrap/bootstrap-payload';

/** `req.flags`: the client's reads and `track`, bound to the request's context. */
export interface RequestFlags extends ContextClient {
  /** The payload that starts the browser SDK on this request's config and context. */
  bootstrapPayload(): BootstrapPayload | null;
}

declare global {
  // Adds `req.flags` to Express's Request type wherever @types/express is in use.
  namespace Express {
    interface Request {
      /** Set by the `switchyard` middleware. */
      flags: RequestFlags;
    }
  }
}

/** Options of the `switchyard` middleware. */
export interface SwitchyardMiddlewareOptions<Req> {
  /** The evaluation context of a request, e.g. `(req) => ({ userId: req.user?.id })`. */
  context: (req: Req) => EvaluationContext;
}

/**
 * Express (or Connect-style) middleware that sets `req.flags`, the client's evaluation surface
 * bound to the request's context, with `req.flags.bootstrapPayload()` for server rendering.
 * An exception from `context` is passed to `next`, like any other middleware failure.
 */
// `any` by default so that `(req) => req.header(...)` type-checks under Express without annotations.
export function switchyard<Req extends object = any>(
  client: SwitchyardClient,
  options: SwitchyardMiddlewareOptions<Req>,
): (req: Req, res: unknown, next: (error?: unknown) => void) => void {
  return (req, _res, next) => {
    let context: EvaluationContext;
    try {
      context = options.context(req);
    } catch (error) {
      next(error);
      return;
    }
    const flags: RequestFlags = {
      ...client.forContext(context),
      bootstrapPayload: () => bootstrapPayload(client, context),
    };
    (req as { flags?: RequestFlags }).flags = flags;
    next();
  };
}
