import type { ConfigChange } from '@switchyard/core/schema';

/** What each kind of key sees: server and admin keys everything, client keys the client view. */
export type ConfigView = 'server' | 'client';

/** One step of an environment's config, from version `from` to `to`, as each view sees it. */
export interface ConfigStep {
  from: number;
  to: number;
  changes: Readonly<Record<ConfigView, readonly ConfigChange[]>>;
}

/**
 * The last `capacity` steps of one environment, so a client that was away for a while resumes
 * with the changes it missed instead of a whole snapshot. Steps chain: each starts where the
 * previous one ended.
 */
export class ChangeHistory {
  readonly #steps: ConfigStep[] = [];

  constructor(private readonly capacity: number) {}

  /** Appends a step (the oldest one goes when full). */
  push(step: ConfigStep): void {
    if (this.capacity <= 0) return;
    if (this.#steps.length >= this.capacity) this.#steps.shift();
    this.#steps.push(step);
  }

  /**
   * The changes from version `since` to the last step, merged (the last change of each entity
   * wins, at the place of that last change), or undefined when `since` is not the start of a
   * step still held (too old, or a version this history never had).
   */
  changesSince(since: number, view: ConfigView): ConfigChange[] | undefined {
    let first = -1;
    for (let i = this.#steps.length - 1; i >= 0; i--) {
      if (this.#steps[i]!.from === since) {
        first = i;
        break;
      }
      if (this.#steps[i]!.from < since) return undefined;
    }
    if (first < 0) return undefined;
    const merged = new Map<string, ConfigChange>();
    for (let i = first; i < this.#steps.length; i++) {
      for (const change of this.#steps[i]!.changes[view]) {
        const id = `${change.kind}\u0000${change.key}`;
        merged.delete(id);
        merged.set(id, change);
      }
    }
    return [...merged.values()];
  }
}
