import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { AUTO_CONCLUDE_ACTOR } from '../analysis/auto-conclusion';
import { SRM_DETECTED } from '../analysis/srm-alert';
import type { LogEntry } from '../store/records';

/**
 * Counters of what the domain log records: conclusions (by the server itself or by a caller),
 * sample-ratio mismatches, guard trips and flag rollbacks. Fed with the rows each commit of this
 * process wrote, so every counter moves exactly when the event is durable, whichever path (verb,
 * analysis, scheduler) wrote it, and instances sharing a store each count their own commits.
 */
export class DomainEventMetrics {
  readonly #concluded: Counter<'by'>;
  readonly #srm: Counter;
  readonly #guardTrips: Counter;
  readonly #rollbacks: Counter<'by'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#concluded = new Counter({
      name: 'switchyard_experiments_concluded_total',
      help: 'Experiments concluded, by the server (auto) or a caller (manual)',
      labelNames: ['by'] as const,
      registers,
    });
    this.#srm = new Counter({
      name: 'switchyard_srm_detections_total',
      help: 'Sample-ratio mismatches detected (experiment.srm_detected)',
      registers,
    });
    this.#guardTrips = new Counter({
      name: 'switchyard_guard_trips_total',
      help: 'Guarded rollouts stopped by a tripped guard (workflow.rolledback)',
      registers,
    });
    this.#rollbacks = new Counter({
      name: 'switchyard_flag_rollbacks_total',
      help: 'Flag rollbacks, by a tripped guard or a caller (manual)',
      labelNames: ['by'] as const,
      registers,
    });
    // Known series start at 0, so rates and alerts see them before the first event.
    for (const by of ['auto', 'manual']) this.#concluded.inc({ by }, 0);
    for (const by of ['guard', 'manual']) this.#rollbacks.inc({ by }, 0);
  }

  /** Counts the rows one commit wrote. */
  committed(entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      switch (entry.type) {
        case 'experiment.concluded':
          this.#concluded.inc({ by: entry.actor === AUTO_CONCLUDE_ACTOR ? 'auto' : 'manual' });
          break;
        case SRM_DETECTED:
          this.#srm.inc();
          break;
        case 'workflow.rolledback':
          this.#guardTrips.inc();
          break;
        case 'featureflag.rolledback':
          // The only rollback a workflow makes is its guard's (see tripGuard).
          this.#rollbacks.inc({ by: entry.actor.startsWith('workflow:') ? 'guard' : 'manual' });
          break;
      }
    }
  }
}
