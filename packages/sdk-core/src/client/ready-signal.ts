import type { Clock } from '../platform/clock';
import { SwitchyardError } from './switchyard-error';

/**
 * The client's "first config is in" signal: settles once, and each `wait` may add its own
 * timeout without affecting the others.
 */
export class ReadySignal {
  #state: { kind: 'waiting' } | { kind: 'ready' } | { kind: 'failed'; error: SwitchyardError } = {
    kind: 'waiting',
  };
  #waiters: Array<{ resolve(): void; reject(error: SwitchyardError): void }> = [];

  constructor(private readonly clock: Clock) {}

  resolve(): void {
    if (this.#state.kind !== 'waiting') return;
    this.#state = { kind: 'ready' };
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  /** Fails the waiting (no effect once ready). */
  fail(error: SwitchyardError): void {
    if (this.#state.kind !== 'waiting') return;
    this.#state = { kind: 'failed', error };
    for (const w of this.#waiters.splice(0)) w.reject(error);
  }

  wait(timeoutMs?: number): Promise<void> {
    const state = this.#state;
    if (state.kind === 'ready') return Promise.resolve();
    if (state.kind === 'failed') return Promise.reject(state.error);
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          if (timer !== undefined) this.clock.clearTimeout(timer);
          resolve();
        },
        reject: (error: SwitchyardError) => {
          if (timer !== undefined) this.clock.clearTimeout(timer);
          reject(error);
        },
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : this.clock.setTimeout(() => {
              this.#waiters = this.#waiters.filter((w) => w !== waiter);
              reject(new SwitchyardError('TIMEOUT', `no config within ${timeoutMs} ms`));
            }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}
