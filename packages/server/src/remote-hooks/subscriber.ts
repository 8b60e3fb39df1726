import type { DomainEventMessage, ErrorMessage } from '@switchyard/core/schema';
import type { KeyKind } from '../store/records';

/**
 * One socket that may subscribe to domain events, as the sync hub sees it: how to send it a
 * message, and what its key may read. The hub makes one per connection and passes the same
 * object to every call about that connection.
 */
export interface HookSubscriber {
  /** Sends one server message on the socket; may throw once the socket is gone. */
  send(message: DomainEventMessage | ErrorMessage): void;
  /** The kind of the socket's key: admin and server keys may subscribe, client keys may not. */
  readonly kind: KeyKind;
  /** The key's environment; null for admin keys, which span every environment. */
  readonly environment: string | null;
}

/** The name of a remote subscriber's place in the domain log (in the store's cursors). */
export function remoteHookCursor(name: string): string {
  return `remote-hook:${name}`;
}
