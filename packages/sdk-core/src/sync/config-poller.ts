import type { ConfigStore } from '../config/config-store';
import { SwitchyardError } from '../client/switchyard-error';
import type { Clock, TimerHandle } from '../platform/clock';
import type { FetchLike } from '../platform/http';
import type { Decoder } from '../protocol/decoder';
import { httpRequest, parseJson, retryAfterMs } from '../protocol/http-request';
import { Backoff } from './backoff';
import type { BackoffOptions } from './backoff';

/** What `ConfigPoller` needs. */
export interface ConfigPollerOptions {
  url: string;
  key: string;
  intervalMs: number;
  timeoutMs: number;
  backoff: BackoffOptions;
  store: ConfigStore;
  clock: Clock;
  random: (length: number) => Uint8Array;
  decoder: Decoder;
  fetch: FetchLike;
  /** A config arrived and was applied. */
  onConfig(): void;
  /** A failure worth reporting; `fatal` ones (a refused key) stop the poller. */
  onError(error: SwitchyardError, fatal: boolean): void;
}

/**
 * Polls `GET /v1/config` with the last ETag (`If-None-Match`), so an unchanged config costs a
 * 304. Failures back off (with jitter) on top of the interval; a 429 waits for its Retry-After.
 */
export class ConfigPoller {
  #timer: TimerHandle | undefined;
  #etag: string | null = null;
  #running = false;
  /** Bumped by each start and stop, so a poll still in flight from before is ignored. */
  #generation = 0;
  #backoff: Backoff;

  constructor(private readonly o: ConfigPollerOptions) {
    this.#backoff = new Backoff(o.backoff, o.random);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Polls now, then every interval, until `stop`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#poll(++this.#generation);
  }

  stop(): void {
    this.#running = false;
    this.#generation++;
    if (this.#timer !== undefined) this.o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #poll(generation: number): Promise<void> {
    this.#timer = undefined;
    const { o } = this;
    const headers: Record<string, string> = {
      authorization: `Bearer ${o.key}`,
      accept: 'application/json',
    };
    if (this.#etag !== null) headers['if-none-match'] = this.#etag;
    let next = o.intervalMs;
    try {
      const res = await httpRequest(
        o.fetch,
        o.clock,
        o.url,
        { method: 'GET', headers },
        o.timeoutMs,
      );
      if (generation !== this.#generation) return;
      if (res.status === 401 || res.status === 403) {
        this.stop();
        const code = res.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN';
        o.onError(new SwitchyardError(code, `GET /v1/config answered ${res.status}`), true);
        return;
      }
      if (res.status === 200) {
        const decoded = o.decoder.snapshot(parseJson(res.body));
        if (!decoded.ok)
          throw new SwitchyardError('BAD_MESSAGE', `GET /v1/config: ${decoded.error}`);
        this.#etag = res.header('etag');
        const current = o.store.version;
        // A poll racing the socket must not roll the config back.
        if (current === undefined || decoded.value.version > current)
          o.store.replace(decoded.value, 'server');
        o.onConfig();
        this.#backoff.reset();
      } else if (res.status === 304) {
        o.onConfig();
        this.#backoff.reset();
      } else if (res.status === 429) {
        next = Math.max(
          next,
          retryAfterMs(res.header('retry-after'), o.clock.now()) ?? this.#backoff.next(),
        );
      } else {
        throw new SwitchyardError('SERVER_ERROR', `GET /v1/config answered ${res.status}`);
      }
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof SwitchyardError) o.onError(error, false);
      next = Math.max(next, this.#backoff.next());
    }
    if (generation === this.#generation)
      this.#timer = o.clock.setTimeout(() => void this.#poll(generation), next);
  }
}
