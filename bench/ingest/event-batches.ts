import { randomBytes, randomUUID } from 'node:crypto';
import { EXPOSURE_EVENT, position, uuidv7 } from '@switchyard/core';
import type { IngestEvent } from '@switchyard/core/schema';

/** Events of one HTTP request, as the SDKs send them. */
export type EventBatch = IngestEvent[];

/** The experiment the events are about and its two variants. */
export interface BatchPlan {
  experiment: string;
  variants: readonly [string, string];
  /** The metric the experiment measures: the type of its conversion events. */
  metric: string;
  batches: number;
  batchSize: number;
  /** Distinct users the events come from. */
  users: number;
}

/**
 * Realistic SDK traffic for one running experiment: per event a random user (whose variant is
 * bucketed with core's `position`, so a user always sees one variant), then 40% `$exposure`
 * events, 30% conversions of the experiment's metric carrying `experiment`/`variant` (as the
 * seed's `onboarding.completed` does) and 30% plain page views. Ids are UUID v7 from core's
 * `uuidv7`, time-ordered as SDKs make them.
 */
export function makeBatches(plan: BatchPlan): EventBatch[] {
  const random = randomBytes(plan.batches * plan.batchSize * 4);
  const idRandom = randomBytes(plan.batches * plan.batchSize * 10);
  let r = 0;
  let k = 0;
  const pick = (n: number) => random.readUInt32LE((r++ % (random.length / 4)) * 4) % n;
  const now = Date.now();
  return Array.from({ length: plan.batches }, (_, b) =>
    Array.from({ length: plan.batchSize }, (_, i): IngestEvent => {
      const unit = `user-${pick(plan.users)}`;
      const variant = plan.variants[position(plan.experiment, 'variant', unit) < 0.5 ? 0 : 1];
      const id = uuidv7(now + b, idRandom.subarray(k * 10, ++k * 10));
      const kind = pick(10);
      const timestamp = now + b * 10 + i;
      if (kind < 4) {
        return {
          id,
          type: EXPOSURE_EVENT,
          timestamp,
          unit,
          properties: { experiment: plan.experiment, variant },
        };
      }
      if (kind < 7) {
        const duration = 5 + pick(120);
        return {
          id,
          type: plan.metric,
          timestamp,
          unit,
          properties: { experiment: plan.experiment, variant, duration },
        };
      }
      return { id, type: 'page_view', timestamp, unit, properties: { path: `/docs/${pick(40)}` } };
    }),
  );
}

/** The same events with random UUID v4 ids instead, for the floor's contrast. */
export function withRandomIds(batches: readonly EventBatch[]): EventBatch[] {
  return batches.map((batch) => batch.map((event) => ({ ...event, id: randomUUID() })));
}
