import { Router } from 'express';
import { sdkCors } from '../http/sdk-cors';
import { sdkKey } from '../http/sdk-key';
import { keyOf } from '../http/auth';
import { environmentOf } from '../http/request-input';
import type { KeyVerifier } from '../keys/key-verifier';
import type { ConfigFeed } from './config-feed';

/** True when an If-None-Match header names `etag` (or `*`); weak tags compare as strong. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

/**
 * `GET /v1/config`: the config of the key's environment (an admin key names one with
 * `?environment=`), as the sync stream would send it: the same version, the client view for client
 * keys. The ETag names the environment, version and view; `If-None-Match` with it answers 304.
 * Browsers may call it from any origin.
 */
export function configRoute(feed: ConfigFeed, keys: KeyVerifier): Router {
  const router = Router();
  router.use(sdkCors('GET'));
  router.get('/', sdkKey(keys, { kinds: ['admin', 'server', 'client'] }), async (req, res) => {
    const env = await feed.environment(environmentOf(req, res));
    const view = keyOf(res).kind === 'client' ? 'client' : 'server';
    const etag = env.etag(view);
    res.set('ETag', etag).set('Cache-Control', 'no-cache');
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(env.body(view));
  });
  return router;
}
