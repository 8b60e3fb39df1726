import type { ClientOptions, Platform } from '../client/client-options';
import { SwitchyardError } from '../client/switchyard-error';
import type { ConfigStore } from '../config/config-store';
import type { TimerHandle } from '../platform/clock';
import { httpRequest, parseJson, retryAfterMs } from '../protocol/http-request';
import { backoffDelay } from './backoff';

/** What a sync client hands its poller. */
export interface PollerContext {
  options: ClientOptions;
  platform: Platform;
  /** `GET /v1/config`. */
  url: string;
  store: ConfigStore;
  /** The key was refused (HTTP 401/403): sync stops. */
  refused(code: number, message: string): void;
  onError(error: SwitchyardError): void;
}

/** Polls the config while started. */
export interface Poller {
  readonly running: boolean;
  /** Polls now, then every interval, until `stop`. */
  start(): void;
  stop(): void;
}

/** Makes the poller of a sync client; `configPoller` is the one there is. */
export type ConfigPoller = (context: PollerContext) => Poller;

/**
 * The HTTP config fallback, for `platform.poller` (opt-in, so that a browser bundle without it
 * does not carry it; sdk-node plugs it in): polls `GET /v1/config` every `pollIntervalMs` with
 * the last ETag (`If-None-Match`), so an unchanged config costs a 304. Failures back off (with
 * jitter, as reconnects do) on top of the interval; a 429 waits for its Retry-After. A config no
 * newer than the current one is ignored, so a poll racing the socket never rolls it back.
 */
export const configPoller: ConfigPoller = ({ options, platform, url, store, refused, onError }) => {
  const { clock, random, decoder, fetch } = platform;
  const reconnect = { baseMs: 500, maxMs: 30_000, ...options.reconnect };
  let running = false;
  let timer: TimerHandle | undefined;
  /** Bumped by each start and stop, so a poll still in flight from before is ignored. */
  let generation = 0;
  let attempts = 0;
  let etag: string | null = null;

  const poll = async (current: number): Promise<void> => {
    let next = options.pollIntervalMs ?? 30_000;
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${options.key}`,
        accept: 'application/json',
      };
      if (etag !== null) headers['if-none-match'] = etag;
      const res = await httpRequest(
        fetch!,
        clock,
        url,
        { method: 'GET', headers },
        options.requestTimeoutMs ?? 10_000,
      );
      if (current !== generation) return;
      const { status } = res;
      const answered = `GET /v1/config answered ${status}`;
      if (status === 401 || status === 403) return refused(status, answered);
      if (status === 200) {
        const decoded = decoder.snapshot(parseJson(res.body));
        if (!decoded.ok) throw new SwitchyardError('BAD_MESSAGE', `${answered}: ${decoded.error}`);
        etag = res.header('etag');
        if (!(decoded.value.version <= store.version!)) store.replace(decoded.value, 'server');
      }
      if (status === 200 || status === 304) attempts = 0;
      else if (status === 429) {
        next = Math.max(
          next,
          retryAfterMs(res.header('retry-after'), clock.now()) ??
            backoffDelay(reconnect, attempts++, random),
        );
      } else throw new SwitchyardError('SERVER_ERROR', answered);
    } catch (error) {
      if (current !== generation) return;
      if (error instanceof SwitchyardError) onError(error);
      next = Math.max(next, backoffDelay(reconnect, attempts++, random));
    }
    if (current === generation) timer = clock.setTimeout(() => poll(current), next);
  };

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      void poll(++generation);
    },
    stop() {
      running = false;
      generation++;
      clock.clearTimeout(timer);
    },
  };
};
