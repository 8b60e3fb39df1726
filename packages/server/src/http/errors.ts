import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Issue } from '../errors';
import { SwitchyardError } from '../errors';
import type { Logger } from '../logger';

/** The one shape of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: Issue[] };
}

// body-parser's error types, by what they mean to a caller.
const PARSER_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': {
    code: 'malformed_json',
    message: 'the body is not valid JSON (an object or an array)',
  },
  'entity.too.large': { code: 'payload_too_large', message: 'the body is larger than the limit' },
  'encoding.unsupported': { code: 'unsupported_encoding', message: 'unsupported content encoding' },
  'charset.unsupported': { code: 'unsupported_charset', message: 'unsupported charset' },
  'request.aborted': { code: 'request_aborted', message: 'the request was aborted' },
  'request.size.invalid': {
    code: 'bad_request',
    message: 'the body length does not match Content-Length',
  },
  'stream.encoding.set': { code: 'bad_request', message: 'the request stream is unreadable' },
};

/** Status and body for anything thrown while handling a request. */
export function describeError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof SwitchyardError) {
    const issues = error.issues && error.issues.length > 0 ? { issues: error.issues } : {};
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...issues } },
    };
  }
  const http = error as { status?: unknown; type?: unknown; expose?: unknown; message?: unknown };
  if (typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    const known = typeof http.type === 'string' ? PARSER_ERRORS[http.type] : undefined;
    const message =
      known?.message ??
      (http.expose && typeof http.message === 'string' ? http.message : 'bad request');
    return {
      status: http.status,
      body: { error: { code: known?.code ?? 'bad_request', message } },
    };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal server error' } } };
}

/** Express's last error handler: answers every error in the one shape; 500s are logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body } = describeError(error);
    if (status >= 500)
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    res.status(status).json(body);
  };
}

/** Answers 404 for a route that does not exist. */
export const unknownRoute: RequestHandler = (req, res) => {
  res
    .status(404)
    .json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
};
