import { Router } from 'express';
import type { Keys } from '../../keys/keys';
import { bodyObject } from '../request-input';

/** `/v1/keys`: list (never secrets), create (the secret shown once), revoke. */
export function keysRouter(keys: Keys): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ data: await keys.list() });
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await keys.create(bodyObject(req) as never));
  });
  router.delete('/:id', async (req, res) => {
    res.json(await keys.revoke(req.params.id));
  });
  router.post('/:id/revoke', async (req, res) => {
    res.json(await keys.revoke(req.params.id));
  });
  return router;
}
