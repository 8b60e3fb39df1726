import type { RequestHandler } from 'express';

/**
 * CORS for the routes browsers call (`/v1/config`, `/v1/events`): any origin may call them with a
 * key in the Authorization header (no cookies are involved), and preflights are answered here,
 * before any key check.
 */
export function sdkCors(methods: string): RequestHandler {
  return (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Expose-Headers', 'ETag, Retry-After');
    if (req.method !== 'OPTIONS') return next();
    res.set('Access-Control-Allow-Methods', `${methods}, OPTIONS`);
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, If-None-Match');
    res.set('Access-Control-Max-Age', '86400');
    res.status(204).end();
  };
}
