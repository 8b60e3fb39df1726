import { createClient, wsSocketFactory } from '@switchyard/sdk-node';
import type { SwitchyardClient } from '@switchyard/sdk-node';

type SocketFactory = ReturnType<typeof wsSocketFactory>;

/** What a `TimedSdkClient` tells its process. */
export interface TimedClientEvents {
  /** A delta from the server took effect at `at` (process.hrtime.bigint()). */
  applied(client: TimedSdkClient, at: bigint): void;
  /** An error the SDK reported (a bad message, a refused key, a lost socket...). */
  problem(message: string): void;
}

/**
 * The real Node SDK (`createClient` of @switchyard/sdk-node, socket transport) with the moment
 * each server config change takes effect read on the monotonic clock: what a user's process would
 * see, including the SDK's validation and delta application, not mere frame arrival.
 */
export class TimedSdkClient {
  /** The client's place in its process's list, set once all are connected. */
  slot = -1;
  /** The last raw frame, kept only when `capture` is on. */
  lastFrame: string | undefined;
  /** The last error the SDK reported, to explain a failed start. */
  lastError: string | undefined;
  readonly #client: SwitchyardClient;

  constructor(baseUrl: string, key: string, events: TimedClientEvents, capture = false) {
    const ws = wsSocketFactory();
    const socket: SocketFactory = capture
      ? (url, handlers) =>
          ws(url, {
            ...handlers,
            onMessage: (data) => {
              this.lastFrame = data;
              handlers.onMessage(data);
            },
          })
      : ws;
    this.#client = createClient({
      url: baseUrl,
      key,
      transport: 'socket',
      exposures: false,
      platform: { socket },
      onError: (error) => {
        this.lastError = error.message;
        events.problem(error.message);
      },
    });
    this.#client.on('change', (event) => {
      if (event.source === 'server' && event.previousVersion !== undefined) {
        events.applied(this, process.hrtime.bigint());
      }
    });
  }

  /** Resolves once the first config arrived; rejects with the reason after `timeoutMs`. */
  async ready(timeoutMs: number): Promise<void> {
    try {
      await this.#client.ready({ timeoutMs });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(this.lastError ? `${reason} (${this.lastError})` : reason);
    }
  }

  /** Closes the client (and its socket). */
  async close(): Promise<void> {
    await this.#client.close({ timeoutMs: 2000 });
  }
}
