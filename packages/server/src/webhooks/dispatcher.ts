import type { Clock } from '../clock';
import type { Webhook } from '../entities/webhook/webhook';
import { matchesEvents } from '../entities/webhook/webhook';
import { newId } from '../ids';
import { CoalescedRounds } from '../service/coalesced-rounds';
import type { Logger } from '../logger';
import type { DeliveryRecord, LogEntry } from '../store/records';
import type { Store, StoreWriter } from '../store/store';
import type { RetryPolicy } from '../verbs/hooks';
import { backoffDelay } from '../verbs/hooks';
import { webhookCursor } from './cursor';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

/** Retries of webhook deliveries by default: 12 attempts, 1 s doubling to at most 1 h. */
export const DEFAULT_WEBHOOK_RETRY: RetryPolicy = { attempts: 12, baseMs: 1000, maxMs: 3_600_000 };

export interface WebhookDispatcherOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  retry?: RetryPolicy;
  /** How long one POST may take (default 10 s). */
  timeoutMs?: number;
  /** How often to look for due retries and other instances' commits (default 1 s). */
  pollMs?: number;
  /** Hears each attempt's outcome (for metrics). */
  onAttempt?: (outcome: 'delivered' | 'retry' | 'failed') => void;
}

const BATCH = 100;

/**
 * Delivers domain events to webhook subscriptions. Driven from the domain log: each
 * subscription has a cursor, and turning log rows into delivery records moves the cursor in
 * the same transaction, so no event is lost or doubled across restarts. Deliveries are claimed
 * (their next attempt pushed past the timeout) before they are sent, so several instances on
 * one PostgreSQL do not send the same delivery twice.
 */
export class WebhookDispatcher {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly rounds: CoalescedRounds;
  private stopped = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.retry = options.retry ?? DEFAULT_WEBHOOK_RETRY;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.rounds = new CoalescedRounds(
      () => this.round(),
      (error) => options.logger.error({ err: error }, 'webhook round failed'),
    );
  }

  /** Starts: runs on every local commit and every `pollMs`. */
  start(): void {
    this.unsubscribe = this.options.store.onCommit(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Stops and waits for the round in progress. */
  async close(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
    await this.rounds.stop();
  }

  /** Asks for a round; rounds never overlap, and a request during one runs another after it. */
  kick(): void {
    this.rounds.request();
  }

  /** One round: turn new log rows into deliveries, then send what is due. */
  async round(): Promise<void> {
    const webhooks = await this.webhooks();
    await this.enqueue(webhooks.filter((w) => w.active));
    const byId = new Map(webhooks.map((w) => [w.$id, w]));
    for (const delivery of await this.claimDue()) {
      if (this.stopped) return;
      await this.attempt(delivery, byId.get(delivery.webhookId));
    }
  }

  private async webhooks(): Promise<Webhook[]> {
    return this.options.store.read(async (r) => {
      const all: Webhook[] = [];
      for (const environment of await r.listEnvironments()) {
        for (const record of await r.listEntities('Webhook', environment))
          all.push(record.data as Webhook);
      }
      return all;
    });
  }

  private async enqueue(webhooks: Webhook[]): Promise<void> {
    for (const webhook of webhooks) {
      let more = true;
      while (more && !this.stopped) {
        more = await this.options.store.transaction((tx) => this.enqueueBatch(tx, webhook));
      }
    }
  }

  // Moves one webhook's cursor over up to BATCH log rows, recording a delivery for each match.
  private async enqueueBatch(tx: StoreWriter, webhook: Webhook): Promise<boolean> {
    const cursor = webhookCursor(webhook.$id);
    const after = (await tx.getCursor(cursor)) ?? 0;
    const rows = await tx.readLog({ after, environment: webhook.environment, limit: BATCH });
    if (rows.length === 0) return false;
    const at = this.options.clock.now().toISOString();
    for (const row of rows) {
      if (!matchesEvents(webhook.events, row.type)) continue;
      await tx.putDelivery({
        id: newId('Delivery'),
        webhookId: webhook.$id,
        seq: row.seq,
        eventType: row.type,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        lastStatus: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
        deliveredAt: null,
      });
    }
    await tx.setCursor(cursor, rows.at(-1)!.seq);
    return rows.length === BATCH;
  }

  private async claimDue(): Promise<DeliveryRecord[]> {
    return this.options.store.transaction(async (tx) => {
      const now = this.options.clock.now();
      const due = await tx.dueDeliveries(now.toISOString(), BATCH);
      const lease = new Date(now.getTime() + this.timeoutMs * 2).toISOString();
      for (const d of due) await tx.putDelivery({ ...d, nextAttemptAt: lease });
      return due;
    });
  }

  private async attempt(delivery: DeliveryRecord, webhook: Webhook | undefined): Promise<void> {
    const { store, clock, logger } = this.options;
    const [entry] = await store.read((r) => r.readLog({ after: delivery.seq - 1, limit: 1 }));
    const live = webhook?.active === true && entry !== undefined;
    const outcome =
      webhook?.active === true && entry !== undefined
        ? await this.post(webhook, delivery, entry)
        : { ok: false, status: null, error: 'the webhook was removed or deactivated' };
    const attempts = delivery.attempts + 1;
    const now = clock.now();
    const final = outcome.ok || !live || attempts >= this.retry.attempts;
    const status = outcome.ok ? 'delivered' : final ? 'failed' : 'pending';
    await store.transaction((tx) =>
      tx.putDelivery({
        ...delivery,
        status,
        attempts,
        lastStatus: outcome.status,
        lastError: outcome.error,
        nextAttemptAt: new Date(
          now.getTime() + (final ? 0 : backoffDelay(this.retry, attempts)),
        ).toISOString(),
        updatedAt: now.toISOString(),
        deliveredAt: outcome.ok ? now.toISOString() : null,
      }),
    );
    this.options.onAttempt?.(outcome.ok ? 'delivered' : final ? 'failed' : 'retry');
    if (!outcome.ok) {
      const detail = {
        webhook: delivery.webhookId,
        seq: delivery.seq,
        attempts,
        error: outcome.error,
      };
      if (final) logger.error(detail, 'webhook delivery failed for good');
      else logger.warn(detail, 'webhook delivery failed; will retry');
    }
  }

  private async post(webhook: Webhook, delivery: DeliveryRecord, entry: LogEntry) {
    const body = JSON.stringify({ delivery: delivery.id, webhook: webhook.$id, ...entry });
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'switchyard-webhooks',
          [SIGNATURE_HEADER]: signatureHeader(webhook.secret, body, this.options.clock.now()),
          'X-Switchyard-Event': entry.type,
          'X-Switchyard-Delivery': delivery.id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      return {
        ok: false,
        status: null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
