import type { LogEntry } from './records';
import type { CommitListener } from './store';

/** The listeners of committed log rows; a listener that throws never fails the commit. */
export class CommitListeners {
  private readonly listeners = new Set<CommitListener>();

  add(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(entries: LogEntry[]): void {
    if (entries.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch {
        // The commit stands; a failing listener is its own business.
      }
    }
  }
}
