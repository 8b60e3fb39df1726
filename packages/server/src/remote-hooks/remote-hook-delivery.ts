import type { DomainAckMessage, SubscribeMessage } from '@switchyard/core/schema';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { Store } from '../store/store';
import { HookSubscription } from './hook-subscription';
import type { HookSubscriber } from './subscriber';

export interface RemoteHookDeliveryOptions {
  store: Store;
  logger?: Logger;
  /** Most events a subscriber has unacked at a time (default 50). */
  window?: number;
  /**
   * How often to look for events this process did not commit (another server instance on the
   * same PostgreSQL), in ms (default 1000; 0: never). Local commits are heard at once.
   */
  pollMs?: number;
}

/**
 * Remote hooks, server side: delivers domain events to subscribed sockets (a Node SDK's
 * `Experiment.concluded(fn)`) at least once, acknowledged, resuming after reconnects.
 *
 * How the sync hub uses it, for each connection whose key it verified:
 * - on a `subscribe` message: `subscribe(subscriber, message)`;
 * - on a `domain-ack` message: `ack(subscriber, message)`;
 * - when the socket closes: `disconnect(subscriber)`;
 * where `subscriber` is one object per connection (`{ send, kind, environment }`).
 * Nothing else: it hears the store's commits itself, and polls for other instances' commits.
 *
 * Semantics: progress is kept per subscriber `name` in the store, so a process that restarts with
 * the same name resumes where it acked last. A socket has one subscription; subscribing again
 * replaces it. Several sockets may subscribe with one name: the first receives, the others stand
 * by and take over (from the last ack) when it goes. Events are sent in seq order; an event that
 * was sent and not acked is sent again after a takeover or reconnect, never on the same socket.
 * Client keys may not subscribe; a server key receives only its environment's events.
 */
export interface RemoteHookDelivery {
  subscribe(subscriber: HookSubscriber, message: SubscribeMessage): Promise<void>;
  ack(subscriber: HookSubscriber, message: DomainAckMessage): Promise<void>;
  disconnect(subscriber: HookSubscriber): Promise<void>;
  /** Looks for new events now (e.g. when the hub hears of another instance's commit). */
  poke(): Promise<void>;
  /** Stops listening and waits for the steps in progress. */
  close(): Promise<void>;
}

/** Creates the remote hook delivery over `store` (see `RemoteHookDelivery`). */
export function createRemoteHookDelivery(options: RemoteHookDeliveryOptions): RemoteHookDelivery {
  const { store } = options;
  const logger = options.logger ?? silentLogger;
  const window = Math.max(1, options.window ?? 50);
  const byName = new Map<string, HookSubscription>();
  const nameOf = new Map<HookSubscriber, string>();
  let closed = false;

  const pokeAll = () => Promise.all([...byName.values()].map((s) => s.poke())).then(() => {});
  const unsubscribe = store.onCommit(() => void pokeAll());
  const pollMs = options.pollMs ?? 1000;
  const timer = pollMs > 0 ? setInterval(() => void pokeAll(), pollMs) : undefined;
  timer?.unref();

  const leave = (subscriber: HookSubscriber): Promise<void> => {
    const name = nameOf.get(subscriber);
    if (name === undefined) return Promise.resolve();
    nameOf.delete(subscriber);
    const subscription = byName.get(name)!;
    const done = subscription.leave(subscriber);
    if (subscription.members.length === 0) byName.delete(name);
    return done;
  };

  return {
    async subscribe(subscriber, message) {
      if (closed) return;
      const refuse = (text: string) => {
        try {
          subscriber.send({ type: 'error', code: 'forbidden', message: text });
        } catch {
          // The socket is gone; nothing to tell.
        }
      };
      if (subscriber.kind === 'client')
        return refuse('client keys may not subscribe to domain events');
      const own = subscriber.environment;
      if (own !== null && message.environment !== undefined && message.environment !== own) {
        return refuse(`this key belongs to environment '${own}'`);
      }
      if (nameOf.get(subscriber) !== message.name) await leave(subscriber);
      nameOf.set(subscriber, message.name);
      let subscription = byName.get(message.name);
      if (!subscription) {
        subscription = new HookSubscription(message.name, store, logger, window);
        byName.set(message.name, subscription);
      }
      await subscription.join({
        subscriber,
        events: message.events,
        environment: own ?? message.environment,
        after: message.after,
      });
    },
    async ack(subscriber, message) {
      if (nameOf.get(subscriber) !== message.name) return;
      await byName.get(message.name)?.ack(subscriber, message.seq);
    },
    disconnect: leave,
    poke: pokeAll,
    async close() {
      closed = true;
      unsubscribe();
      if (timer) clearInterval(timer);
      await Promise.all([...byName.values()].map((s) => s.idle()));
    },
  };
}
