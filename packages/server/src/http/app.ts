import express, { Router } from 'express';
import type { Keys } from '../keys/keys';
import type { Logger } from '../logger';
import type { ServerMetrics } from '../observability/server-metrics';
import type { Switchyard } from '../service/switchyard';
import { requireKey } from './auth';
import { errorHandler, unknownRoute } from './errors';
import { COLLECTIONS, collectionRouter } from './routes/collection';
import { environmentsRouter } from './routes/environments';
import type { Lifecycle } from './routes/health';
import { healthRouter } from './routes/health';
import { keysRouter } from './routes/keys';
import { logRouter } from './routes/log';
import { metricPointsRouter } from './routes/metric-points';
import { deliveriesRouter } from './routes/deliveries';

/** What the HTTP app serves. */
export interface AppDeps {
  sy: Switchyard;
  keys: Keys;
  metrics: ServerMetrics;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Largest JSON body, in body-parser's notation (default `512kb`). */
  bodyLimit?: string;
  /** Extra `/v1` routes (the sync hub, ingestion, webhooks' deliveries…), mounted before the collections. */
  routes?: (v1: Router) => void;
}

/**
 * The REST API: management routes for admin keys, health and metrics without a key, and the
 * routes `deps.routes` adds (the realtime ones: `/v1/config`, `/v1/evaluate`, SDK `/v1/events`,
 * results). Every error answers `{ error: { code, message, issues? } }`.
 */
export function createApp(deps: AppDeps): express.Express {
  const { sy, keys } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(deps.metrics.middleware());
  app.use(healthRouter(sy.store, deps.metrics, deps.lifecycle));

  const json = express.json({ limit: deps.bodyLimit ?? '512kb' });
  const admin = requireKey(keys, 'admin');
  const v1 = Router();
  // First, so SDK `/v1/events` (with CORS) takes precedence over the management route.
  deps.routes?.(v1);
  for (const spec of COLLECTIONS) {
    const router = Router();
    if (spec.facade === 'Metric') router.use(metricPointsRouter(sy));
    if (spec.facade === 'Webhook') router.use(deliveriesRouter(sy));
    router.use(collectionRouter(sy, spec));
    v1.use(`/${spec.path}`, admin, json, router);
  }
  v1.use('/log', admin, logRouter(sy.store));
  v1.use('/keys', admin, json, keysRouter(keys));
  v1.use('/environments', admin, json, environmentsRouter(sy.environments, sy.clock));
  app.use('/v1', v1);

  app.use(unknownRoute);
  app.use(errorHandler(deps.logger));
  return app;
}
