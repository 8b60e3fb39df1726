import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Clock } from '../clock';
import { sampleSizeRoute } from '../analysis/sample-size-route';
import { environmentOf, queryString } from '../http/request-input';
import type { Store } from '../store/store';
import { lookAtResults } from './experiment-results';

/**
 * `GET /v1/experiments/:id/results[?metric=]` (admin keys): the experiment's statistics from the
 * aggregates ingestion keeps (see `experimentResults`), the primary metric and each secondary
 * one, or only the metric asked for. Each GET is a look: the always-valid p-values it reports
 * are running minima, stored (see `lookAtResults`). Also serves the sample-size suggestion.
 */
export function resultsRoute(store: Store, admin: RequestHandler, clock: Clock): Router {
  const router = Router();
  router.use(sampleSizeRoute(admin));
  router.get('/experiments/:id/results', admin, async (req, res) => {
    const environment = environmentOf(req, res);
    const metric = queryString(req, 'metric');
    res.json(await lookAtResults(store, clock, environment, String(req.params.id), metric));
  });
  return router;
}
