import { Router } from 'express';
import * as z from 'zod';
import { ValidationError } from '../../errors';
import type { Store } from '../../store/store';
import { queryNumber, queryString } from '../request-input';

const LogQuerySchema = z.strictObject({
  after: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  types: z.array(z.string().min(1).max(200)).max(50).optional(),
  entityType: z.string().min(1).max(100).optional(),
  entityId: z.string().min(1).max(200).optional(),
  environment: z.string().min(1).max(63).optional(),
});

/**
 * `GET /v1/log`: the domain log in seq order, `?after=<seq>&limit=&type=a,b&entityType=&entityId=`;
 * across environments unless `?environment=` names one. `next` is the seq to pass as `after`.
 */
export function logRouter(store: Store): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const types = queryString(req, 'type');
    const raw = {
      after: queryNumber(req, 'after'),
      limit: queryNumber(req, 'limit'),
      types: types === undefined ? undefined : types.split(','),
      entityType: queryString(req, 'entityType'),
      entityId: queryString(req, 'entityId'),
      environment: queryString(req, 'environment'),
    };
    const parsed = LogQuerySchema.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
    );
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'log query');
    const data = await store.read((r) => r.readLog(parsed.data));
    res.json({ data, next: data.at(-1)?.seq ?? parsed.data.after ?? 0 });
  });
  return router;
}
