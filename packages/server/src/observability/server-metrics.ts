import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchAnswer } from '../ingest/ingestor';
import type { VerbObserver } from '../service/switchyard';
import type { CommitListener } from '../store/store';
import type { SocketCount, SyncHubObserver } from '../sync/sync-hub';
import { DomainEventMetrics } from './domain-event-metrics';
import { IngestMetrics } from './ingest-metrics';
import { SyncMetrics } from './sync-metrics';

/** What the server's metrics follow: its store's commits, ingestion and the sync hub. */
export interface MetricSources {
  store: { onCommit(listener: CommitListener): () => void };
  ingestor: { onBatch(listener: (answer: BatchAnswer) => void): () => void };
  hub: { observe(observer: SyncHubObserver): () => void; socketCounts(): SocketCount[] };
}

/**
 * The Prometheus metrics of one server, in its own registry (not prom-client's global one),
 * so several servers can live in one process.
 */
export class ServerMetrics implements VerbObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'switchyard_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: 'switchyard_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly verbs = new Counter({
    name: 'switchyard_verbs_total',
    help: 'Verb calls by verb and outcome',
    labelNames: ['verb', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly verbSeconds = new Histogram({
    name: 'switchyard_verb_duration_seconds',
    help: 'Verb duration, hooks included',
    labelNames: ['verb'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly hookFailures = new Counter({
    name: 'switchyard_hook_failures_total',
    help: 'Failed after-hook attempts; final=true when it was the last',
    labelNames: ['hook', 'final'] as const,
    registers: [this.registry],
  });
  /** Webhook delivery attempts by outcome (delivered, retry, failed). */
  readonly webhookAttempts = new Counter({
    name: 'switchyard_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  /** Workflow steps the scheduler tried, by outcome (done, failed, skipped, retry). */
  readonly workflowSteps = new Counter({
    name: 'switchyard_workflow_steps_total',
    help: 'Workflow steps the scheduler tried, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Conclusions, SRM detections, guard trips and rollbacks, from the domain log. */
  readonly domainEvents = new DomainEventMetrics(this.registry);
  /** SDK events by outcome. */
  readonly ingest = new IngestMetrics(this.registry);
  /** Sockets, broadcasts and slow consumers of the sync stream. */
  readonly sync = new SyncMetrics(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
  }

  /** Starts counting what `sources` do; answers the function that stops it. */
  follow(sources: MetricSources): () => void {
    this.sync.countSockets(() => sources.hub.socketCounts());
    const stops = [
      sources.store.onCommit((entries) => this.domainEvents.committed(entries)),
      sources.ingestor.onBatch((answer) => this.ingest.batch(answer)),
      sources.hub.observe(this.sync),
    ];
    return () => {
      for (const stop of stops) stop();
      this.sync.countSockets(() => []);
    };
  }

  verbDone(verb: string, outcome: 'ok' | 'error', seconds: number): void {
    this.verbs.inc({ verb, outcome });
    this.verbSeconds.observe({ verb }, seconds);
  }

  hookFailed(hook: string, _attempt: number, final: boolean): void {
    this.hookFailures.inc({ hook, final: String(final) });
  }

  /** Counts and times every request, labelled by its route pattern (not its raw path). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const end = this.requestSeconds.startTimer();
      res.on('finish', () => {
        const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        end({ method: req.method, route });
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
