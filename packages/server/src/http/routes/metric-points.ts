import { Router } from 'express';
import type { Switchyard } from '../../service/switchyard';
import { bodyObject, queryNumber, queryString } from '../request-input';
import { verbCaller } from './collection';

/** `POST /v1/metrics/record` (Metric.record) and `GET /v1/metrics/points` (recorded points). */
export function metricPointsRouter(sy: Switchyard): Router {
  const router = Router();
  const call = verbCaller(sy, 'Metric');
  router.post('/record', async (req, res) => {
    res.status(201).json(await call(req, res, 'record', bodyObject(req)));
  });
  router.get('/points', async (req, res) => {
    const query = {
      name: queryString(req, 'name'),
      limit: queryNumber(req, 'limit'),
      offset: queryNumber(req, 'offset'),
    };
    const input = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    res.json({ data: await call(req, res, 'points', input) });
  });
  return router;
}
