import type { ServerOptions } from '../../../src/server';
import type { TestServer } from '../../support/server';
import { startServer } from '../../support/server';

/**
 * A test server whose analyses run as soon as ingestion commits (no sweep timer, no webhooks,
 * no scheduler unless `options` says otherwise), with the seed's `activation_rate` defined.
 */
export async function startAnalysisServer(options: ServerOptions = {}): Promise<TestServer> {
  const t = await startServer({
    webhooks: false,
    scheduler: false,
    analysis: { minIntervalMs: 0, timer: false },
    ...options,
  });
  await t.server.$.Metric.define({
    name: 'activation_rate',
    kind: 'conversion',
    event: 'onboarding.completed',
  });
  return t;
}

/** Resolves once ingestion committed what it had and the analyses it asked for ran. */
export async function settled(t: TestServer): Promise<void> {
  await t.server.realtime.ingestor.drain();
  await t.server.analysis?.idle();
}
