import type { DomainEventMessage } from '@switchyard/core/schema';
import type {
  Clock,
  RandomBytes,
  SocketFactory,
  SwitchyardError,
  SyncClient,
} from '@switchyard/sdk-core';
import { backoffDelay, ConfigStore, schemaDecoder, syncClient } from '@switchyard/sdk-core';
import { nodeClock } from '../platform/node-clock';
import { nodeRandom } from '../platform/node-random';
import { wsSocketFactory } from '../platform/ws-socket';
import type { HookRetryPolicy } from './hook-retry';
import { DEFAULT_HOOK_RETRY, RemoteHookError } from './hook-retry';
import { defaultSubscriberName } from './subscriber-name';

/** A domain event as a remote hook receives it. */
type DomainEvent = DomainEventMessage['event'];

/** A remote hook with its context type left open (the management API passes its own `$`). */
export type RemoteHandler<C> = (entity: unknown, $: C, event: DomainEvent) => unknown;

export interface RemoteHooksOptions<C> {
  /** The server's base URL. */
  url: string;
  /** An admin key (or a server key, which hears only its environment). */
  key: string;
  /** Sent in hello, for the server's diagnostics. */
  sdk?: string;
  /** The subscriber name (default: from the registered hooks; see `defaultSubscriberName`). */
  name?: string;
  /** Where a name without progress starts: after this seq (default: where the server is now). */
  after?: () => Promise<number | undefined>;
  retry?: Partial<HookRetryPolicy>;
  /** The `$` a hook of `environment` receives. */
  context(environment: string): C;
  /** Failed hooks (`RemoteHookError`) and connection problems (`SwitchyardError`). */
  onError(error: RemoteHookError | SwitchyardError): void;
  /** Replaces parts of the Node platform (tests). */
  platform?: { socket?: SocketFactory; clock?: Clock; random?: RandomBytes };
}

interface Registered<C> {
  fn: RemoteHandler<C>;
  /** Only events of this environment; undefined for all. */
  environment: string | undefined;
}

/** How many handled seqs are remembered, to acknowledge a redelivery without running it again. */
const REMEMBERED = 10_000;

/**
 * Remote after-hooks: one WebSocket to the server's `/v1/stream` that subscribes to the event
 * types of the registered hooks and runs them, one event at a time in log order.
 *
 * Delivery is at least once. An event is acknowledged only after every hook for it resolved;
 * a hook that throws is retried here with jittered backoff (`retry`, default 8 tries), and given
 * up (reported as final, then acknowledged) only when they run out. If the process dies or the
 * socket drops before the acknowledgement, the server sends the event again, on reconnect or to
 * another process subscribed with the same name. A hook may therefore see an event twice: make
 * it idempotent (look before you create). Events this process already handled are acknowledged
 * again without running. The socket opens at the first registration and stays open (keeping
 * the process alive) until `close()`.
 */
export class RemoteHooks<C> {
  readonly #o: RemoteHooksOptions<C>;
  readonly #retry: HookRetryPolicy;
  readonly #clock: Clock;
  readonly #handlers = new Map<string, Registered<C>[]>();
  readonly #done = new Set<number>();
  readonly #pending = new Set<number>();
  #queue: DomainEventMessage[] = [];
  #sync: SyncClient | undefined;
  #running: Promise<void> | undefined;
  /** The seq whose hooks run now. */
  #current: number | undefined;
  #subscribed: string | undefined;
  #resubscribe = false;
  #closing = false;
  #wake: (() => void) | undefined;

  constructor(options: RemoteHooksOptions<C>) {
    this.#o = options;
    this.#retry = { ...DEFAULT_HOOK_RETRY, ...options.retry };
    this.#clock = options.platform?.clock ?? nodeClock;
  }

  /** The name this process subscribes with (once a hook is registered). */
  get name(): string | undefined {
    if (this.#handlers.size === 0) return undefined;
    return this.#o.name ?? defaultSubscriberName([...this.#handlers.keys()], this.#environment());
  }

  /** Registers `fn` for events of `type` (of `environment` only, if given); answers its remover. */
  register(type: string, fn: RemoteHandler<C>, environment?: string): () => void {
    if (this.#closing) throw new Error('switchyard: the remote hooks are closed');
    const list = this.#handlers.get(type) ?? [];
    const entry = { fn, environment };
    list.push(entry);
    this.#handlers.set(type, list);
    this.#start();
    this.#scheduleSubscribe();
    // Removing a hook leaves the subscription as it is: its events are then acknowledged unrun.
    return () => {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** Lets the running hook finish (at most `timeoutMs`), acknowledges it, closes the socket. */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing = true;
    this.#queue = [];
    this.#wake?.();
    if (this.#running) {
      let timer: unknown;
      const timeout = new Promise<void>((resolve) => {
        timer = this.#clock.setTimeout(resolve, options.timeoutMs ?? 10_000);
      });
      await Promise.race([this.#running, timeout]);
      this.#clock.clearTimeout(timer);
    }
    this.#sync?.close();
  }

  /** The one environment every hook is scoped to, if they all share one. */
  #environment(): string | undefined {
    const scopes = new Set([...this.#handlers.values()].flat().map((h) => h.environment));
    const [only] = scopes;
    return scopes.size === 1 ? only : undefined;
  }

  #start(): void {
    if (this.#sync) return;
    const platform = this.#o.platform ?? {};
    const sync = syncClient(
      {
        url: this.#o.url,
        key: this.#o.key,
        sdk: this.#o.sdk,
        transport: 'socket',
        pollAfterFailures: Number.POSITIVE_INFINITY,
      },
      {
        clock: this.#clock,
        random: platform.random ?? nodeRandom,
        decoder: schemaDecoder,
        socket: platform.socket ?? wsSocketFactory(),
      },
      new ConfigStore(),
      (error) => this.#o.onError(error),
    );
    sync.onLive(() => {
      // What was queued on the old socket comes again on this one.
      this.#queue = [];
      this.#pending.clear();
      if (this.#current !== undefined) this.#pending.add(this.#current);
      this.#subscribed = undefined;
      this.#scheduleSubscribe();
    });
    sync.onMessage('domain', (message) => this.#receive(message));
    this.#sync = sync;
    sync.start();
  }

  /** Subscribes (again) once the registrations of this turn are in, so they share one message. */
  #scheduleSubscribe(): void {
    if (this.#resubscribe) return;
    this.#resubscribe = true;
    this.#clock.setTimeout(() => void this.#subscribe(), 0);
  }

  async #subscribe(): Promise<void> {
    this.#resubscribe = false;
    const events = [...this.#handlers.keys()];
    const name = this.name;
    if (!this.#sync?.live || name === undefined || this.#closing) return;
    const environment = this.#environment();
    const key = JSON.stringify([name, events, environment]);
    if (key === this.#subscribed) return;
    const after = await this.#o.after?.();
    if (!this.#sync.live || this.#closing) return;
    const sent = this.#sync.send({
      type: 'subscribe',
      name,
      events,
      ...(after === undefined ? {} : { after }),
      ...(environment === undefined ? {} : { environment }),
    });
    if (sent) this.#subscribed = key;
  }

  #receive(message: DomainEventMessage): void {
    if (this.#closing) return;
    if (this.#done.has(message.seq)) return this.#ack(message.seq);
    if (this.#pending.has(message.seq)) return;
    this.#pending.add(message.seq);
    this.#queue.push(message);
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
  }

  async #drain(): Promise<void> {
    for (let next = this.#queue.shift(); next && !this.#closing; next = this.#queue.shift()) {
      this.#current = next.seq;
      const handled = this.#done.has(next.seq) || (await this.#handle(next));
      this.#current = undefined;
      this.#pending.delete(next.seq);
      if (!handled) continue;
      this.#done.add(next.seq);
      if (this.#done.size > REMEMBERED) this.#done.delete(this.#done.values().next().value!);
      this.#ack(next.seq);
    }
  }

  /** Runs the event's hooks until each succeeded or the tries ran out; false when cut short by close. */
  async #handle({ seq, event }: DomainEventMessage): Promise<boolean> {
    const hooks = (this.#handlers.get(event.type) ?? []).filter(
      (h) => h.environment === undefined || h.environment === event.environment,
    );
    const context = this.#o.context(event.environment ?? 'development');
    const entity = event.entity ?? { $id: event.id };
    const random = this.#o.platform?.random ?? nodeRandom;
    let left = hooks;
    for (let attempt = 1; ; attempt++) {
      const failed: Registered<C>[] = [];
      for (const hook of left) {
        try {
          await hook.fn(entity, context, event);
        } catch (error) {
          failed.push(hook);
          const final = attempt >= this.#retry.attempts;
          this.#o.onError(new RemoteHookError(event.type, seq, attempt, final, error));
        }
      }
      if (failed.length === 0 || attempt >= this.#retry.attempts) return true;
      left = failed;
      if (!(await this.#sleep(backoffDelay(this.#retry, attempt - 1, random)))) return false;
    }
  }

  /** Waits `ms`; false when `close` interrupts. */
  #sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        this.#wake = undefined;
        resolve(!this.#closing);
      }, ms);
      this.#wake = () => {
        this.#clock.clearTimeout(timer);
        resolve(false);
      };
    });
  }

  #ack(seq: number): void {
    const name = this.name;
    if (name !== undefined) this.#sync?.send({ type: 'domain-ack', name, seq });
  }
}
