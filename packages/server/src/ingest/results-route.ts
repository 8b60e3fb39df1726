import { Router } from 'express';
import type { RequestHandler } from 'express';
import { environmentOf, queryString } from '../http/request-input';
import type { Store } from '../store/store';
import { experimentResults } from './experiment-results';

/**
 * `GET /v1/experiments/:id/results[?metric=]` (admin keys): the experiment's statistics from the
 * aggregates ingestion keeps (see `experimentResults`).
 */
export function resultsRoute(store: Store, admin: RequestHandler): Router {
  const router = Router();
  router.get('/experiments/:id/results', admin, async (req, res) => {
    const environment = environmentOf(req, res);
    const metric = queryString(req, 'metric');
    res.json(
      await store.read((r) => experimentResults(r, environment, String(req.params.id), metric)),
    );
  });
  return router;
}
