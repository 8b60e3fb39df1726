import { Router } from 'express';
import * as z from 'zod';
import { ValidationError } from '../../errors';
import type { Switchyard } from '../../service/switchyard';
import { queryNumber } from '../request-input';
import { verbCaller } from './collection';

const PageSchema = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});

/** `GET /v1/webhooks/:id/deliveries`: a webhook's delivery records, newest first. */
export function deliveriesRouter(sy: Switchyard): Router {
  const router = Router();
  const call = verbCaller(sy, 'Webhook');
  router.get('/:id/deliveries', async (req, res) => {
    const raw = { limit: queryNumber(req, 'limit'), offset: queryNumber(req, 'offset') };
    const page = PageSchema.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
    );
    if (!page.success) throw ValidationError.fromZod(page.error, 'page');
    // Answers 404 unless the webhook exists in the request's environment.
    const webhook = (await call(req, res, 'get', { id: req.params.id })) as { $id: string };
    res.json({ data: await sy.store.read((r) => r.listDeliveries(webhook.$id, page.data)) });
  });
  return router;
}
