import { clientView } from '@switchyard/core';
import { Router } from 'express';
import type { Switchyard } from '../../service/switchyard';
import { keyOf } from '../auth';
import { environmentOf } from '../request-input';

/**
 * `GET /v1/config`: the config snapshot of the key's environment (an admin key names it with
 * `?environment=`); client keys get the client view, without serverOnly flags. Answers 304
 * when `If-None-Match` holds the current ETag.
 */
export function configRouter(sy: Switchyard): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const environment = environmentOf(req, res);
    const full = await sy.configSnapshot(environment);
    const client = keyOf(res).kind === 'client';
    const etag = `"${environment}-${full.version}-${client ? 'client' : 'server'}"`;
    res.set('ETag', etag).set('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.json(client ? clientView(full) : full);
  });
  return router;
}
