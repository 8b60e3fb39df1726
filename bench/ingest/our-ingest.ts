import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@switchyard/core';
import type { ProcessGroup } from '../shared/process-group';
import { SwitchyardServer } from '../shared/switchyard-server';
import { Unavailable } from '../shared/unavailable';

/** Our server, ready to ingest: a server key and one running experiment. */
export interface OurIngest {
  server: SwitchyardServer;
  key: string;
  experiment: string;
  /** Events the probe batch got accepted (they are stored too). */
  probeAccepted: number;
}

/**
 * Starts `switchyard serve` on a fresh SQLite file, makes a server key and a running experiment
 * with variants `variants` measuring `metric`, and sends one probe event to `POST /v1/events`;
 * throws `Unavailable` when the endpoint does not take a server key's batch (e.g. 403 or 404).
 */
export async function startOurIngest(
  group: ProcessGroup,
  dir: string,
  variants: readonly [string, string],
  metric: string,
): Promise<OurIngest> {
  const server = await SwitchyardServer.start(group, dir);
  try {
    const key = await server.createKey('server');
    const created = await server.request('POST', '/v1/experiments', {
      name: 'Onboarding Flow V2',
      hypothesis: 'Simplified onboarding increases activation by 15%',
      variants: variants.map((v) => ({ key: v, weight: 50 })),
      metric,
      targetSampleSize: 1000,
    });
    const experiment = (created.body as { $id?: unknown } | null)?.$id;
    if (created.status !== 201 || typeof experiment !== 'string') {
      throw new Error(
        `POST /v1/experiments answered ${created.status}: ${JSON.stringify(created.body)}`,
      );
    }
    const started = await server.request('POST', `/v1/experiments/${experiment}/start`, {});
    if (started.status !== 200) {
      throw new Error(
        `starting the experiment answered ${started.status}: ${JSON.stringify(started.body)}`,
      );
    }
    const probe = await server.request(
      'POST',
      '/v1/events',
      {
        batchId: 'bench-probe',
        events: [{ id: uuidv7(Date.now(), randomBytes(10)), type: 'bench.probe', unit: 'probe' }],
      },
      key,
    );
    const accepted = (probe.body as { accepted?: unknown } | null)?.accepted;
    if (probe.status < 200 || probe.status > 299 || typeof accepted !== 'number') {
      throw new Unavailable(
        `POST /v1/events with a server key answered ${probe.status}: ${JSON.stringify(probe.body).slice(0, 200)}`,
      );
    }
    return { server, key, experiment, probeAccepted: accepted };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
