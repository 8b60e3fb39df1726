import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { BatchAnswer } from '../ingest/ingestor';

/** Events SDKs sent, by what ingestion did with them; counted once per batch, from its answer. */
export class IngestMetrics {
  readonly #events: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.#events = new Counter({
      name: 'switchyard_ingested_events_total',
      help: 'SDK events by outcome: accepted (stored), duplicate (already stored), rejected (invalid)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    for (const outcome of ['accepted', 'duplicate', 'rejected']) this.#events.inc({ outcome }, 0);
  }

  /** Counts one answered batch. */
  batch(answer: BatchAnswer): void {
    if (answer.accepted > 0) this.#events.inc({ outcome: 'accepted' }, answer.accepted);
    if (answer.duplicates > 0) this.#events.inc({ outcome: 'duplicate' }, answer.duplicates);
    if (answer.rejected.length > 0) {
      this.#events.inc({ outcome: 'rejected' }, answer.rejected.length);
    }
  }
}
