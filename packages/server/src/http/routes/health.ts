import { Router } from 'express';
import type { Store } from '../../store/store';
import type { ServerMetrics } from '../../observability/server-metrics';

/** Whether the server is shutting down (readiness turns false first). */
export interface Lifecycle {
  closing: boolean;
}

/** `/healthz` (the process serves), `/readyz` (the store answers), `/metrics` (Prometheus). */
export function healthRouter(store: Store, metrics: ServerMetrics, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (lifecycle.closing) {
      res.status(503).json({ status: 'closing' });
      return;
    }
    try {
      const version = await store.read((r) => r.latestSeq());
      res.json({ status: 'ready', engine: store.engine, version });
    } catch {
      res.status(503).json({ status: 'store unavailable' });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
