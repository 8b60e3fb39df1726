import type { DomainEventMessage } from '@switchyard/core/schema';
import { matchesEvents } from '../entities/webhook/webhook';
import type { Logger } from '../logger';
import type { LogEntry } from '../store/records';
import type { Store } from '../store/store';
import type { HookSubscriber } from './subscriber';
import { remoteHookCursor } from './subscriber';

/** What one subscriber asked for. */
export interface HookMember {
  subscriber: HookSubscriber;
  /** Event types or patterns (`experiment.concluded`, `experiment.*`, `*`). */
  events: string[];
  /** Only this environment's events; undefined for all. */
  environment: string | undefined;
  /** Where to start when the name has no progress yet. */
  after: number | undefined;
}

/** How many log rows one read looks at. */
const PAGE = 200;

/** The domain message of a log row. */
export function domainMessage(entry: LogEntry): DomainEventMessage {
  return {
    type: 'domain',
    seq: entry.seq,
    event: {
      seq: entry.seq,
      type: entry.type,
      entityType: entry.entityType,
      id: entry.entityId,
      at: entry.at,
      actor: entry.actor,
      environment: entry.environment,
      payload: entry.payload,
      entity: entry.state,
    },
  };
}

/**
 * The subscribers of one name and their shared place in the domain log. The first member is
 * active and receives the matching events in seq order, at most `window` unacked at a time; the
 * others stand by and take over, from the stored progress, when it leaves. Progress (the
 * cursor) is the seq before the oldest unacked event, so whatever was sent but not acked is
 * sent again to the next active member: delivery is at least once. Every state change runs in
 * one queue, so reads, sends and cursor writes never interleave.
 */
export class HookSubscription {
  readonly members: HookMember[] = [];
  private readonly cursor: string;
  /** Sent to the active member, not yet acked, ascending. */
  private inflight: number[] = [];
  /** The last log row looked at for the active member. */
  private scanned = 0;
  /** The stored cursor. */
  private persisted = 0;
  /** The member the scan state belongs to; undefined until `restart` has run for it. */
  private serving: HookMember | undefined;
  private queue: Promise<void> = Promise.resolve();
  private pumpQueued = false;

  constructor(
    readonly name: string,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly window: number,
  ) {
    this.cursor = remoteHookCursor(name);
  }

  /** The member that receives events, if any. */
  get active(): HookMember | undefined {
    return this.members[0];
  }

  /** Adds a member, or updates one that subscribes again (the active one then starts over). */
  join(member: HookMember): Promise<void> {
    const at = this.members.findIndex((m) => m.subscriber === member.subscriber);
    if (at >= 0) this.members[at] = member;
    else this.members.push(member);
    return this.active === member ? this.run(() => this.restart()) : Promise.resolve();
  }

  /** Removes a subscriber; when it was active, the next member takes over. */
  leave(subscriber: HookSubscriber): Promise<void> {
    const at = this.members.findIndex((m) => m.subscriber === subscriber);
    if (at < 0) return Promise.resolve();
    this.members.splice(at, 1);
    return at === 0 ? this.run(() => this.restart()) : Promise.resolve();
  }

  /** The active member handled `seq`: progress moves and more events may go out. */
  ack(subscriber: HookSubscriber, seq: number): Promise<void> {
    return this.run(async () => {
      if (this.serving?.subscriber !== subscriber) return;
      const at = this.inflight.indexOf(seq);
      if (at < 0) return;
      this.inflight.splice(at, 1);
      await this.persist(this.inflight.length > 0 ? this.inflight[0]! - 1 : this.scanned);
      await this.pump();
    });
  }

  /** Looks for new events (after a commit, or on the poll). */
  poke(): Promise<void> {
    if (this.pumpQueued || this.active === undefined) return Promise.resolve();
    this.pumpQueued = true;
    return this.run(async () => {
      this.pumpQueued = false;
      if (this.serving !== this.active) await this.restart();
      else await this.pump();
    });
  }

  /** Resolves when every queued step has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  private run(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      // The next poke retries from the stored cursor.
      this.serving = undefined;
      this.logger.error({ err: error, subscriber: this.name }, 'remote hook delivery failed');
    });
    return this.queue;
  }

  /** Serves the active member from the stored progress (a new name starts at `after` or now). */
  private async restart(): Promise<void> {
    this.serving = undefined;
    this.inflight = [];
    const member = this.active;
    if (!member) return;
    const { stored, latest } = await this.store.read(async (r) => ({
      stored: await r.getCursor(this.cursor),
      latest: await r.latestSeq(),
    }));
    let start = stored;
    if (start === null) {
      start = Math.min(member.after ?? latest, latest);
      await this.store.transaction((tx) => tx.setCursor(this.cursor, start!));
    }
    this.persisted = start;
    this.scanned = start;
    this.serving = member;
    await this.pump();
  }

  /** Sends matching rows after `scanned` until the window is full or the log is read. */
  private async pump(): Promise<void> {
    const member = this.serving;
    if (!member || member !== this.active) return;
    const exact = member.events.every((e) => !e.includes('*'));
    while (this.inflight.length < this.window) {
      const rows = await this.store.read((r) =>
        r.readLog({
          after: this.scanned,
          limit: PAGE,
          ...(member.environment === undefined ? {} : { environment: member.environment }),
          ...(exact ? { types: member.events } : {}),
        }),
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        if (this.inflight.length >= this.window || member !== this.active) return;
        this.scanned = row.seq;
        if (!matchesEvents(member.events, row.type)) continue;
        this.inflight.push(row.seq);
        try {
          member.subscriber.send(domainMessage(row));
        } catch {
          // The socket is going; the hub's disconnect hands the event to the next member.
          return;
        }
      }
    }
  }

  /** Stores progress; it only moves forward (another server instance may be ahead). */
  private async persist(seq: number): Promise<void> {
    if (seq <= this.persisted) return;
    await this.store.transaction(async (tx) => {
      const current = await tx.getCursor(this.cursor);
      if (current === null || current < seq) await tx.setCursor(this.cursor, seq);
    });
    this.persisted = seq;
  }
}
