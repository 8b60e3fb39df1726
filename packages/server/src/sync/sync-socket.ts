import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import type { HookSubscriber } from '../remote-hooks';
import type { KeyRecord } from '../store/records';
import type { ConfigView } from './change-history';
import { PreparedFrame } from './prepared-frame';

/** What handles a socket's messages and its end (the hub). */
export interface SocketOwner {
  received(socket: SyncSocket, data: RawData, isBinary: boolean): void;
  closed(socket: SyncSocket): void;
}

/** Where a socket is in its life: waiting for hello, checking its key, or receiving config. */
export type SocketPhase = 'greeting' | 'verifying' | 'live';

/**
 * One SDK connection. The hub's per-socket state lives in these fields (ws builds sockets of
 * this class), not in closures: an idle connection costs the socket and a few numbers.
 */
export class SyncSocket extends WebSocket {
  owner: SocketOwner | undefined = undefined;
  phase: SocketPhase = 'greeting';
  /** Answered a ping since the last heartbeat (or sent anything). */
  alive = true;
  /** When the connection opened (ms), to close those that never say hello. */
  openedAt = 0;
  /** The environment an admin key asked for with `?environment=`. */
  requested: string | undefined = undefined;
  key: KeyRecord | undefined = undefined;
  environment: string | undefined = undefined;
  view: ConfigView = 'client';
  /** The config version the client has, as of the last frame written to it. */
  version = -1;
  /** Its remote-hook subscription, once it subscribed. */
  subscriber: HookSubscriber | undefined = undefined;

  /**
   * Writes a prepared frame: straight to the TCP socket (one write of shared bytes, nothing
   * copied or framed per socket), or through ws when the connection is not open for that.
   */
  write(frame: PreparedFrame): void {
    if (this.readyState !== WebSocket.OPEN) return;
    // ws keeps the TCP socket as `_socket`; without compression it writes whole frames to it
    // synchronously, so a frame written here never lands inside one of its own.
    const raw = (this as unknown as { _socket?: Duplex })._socket;
    if (raw && raw.writable) raw.write(frame.bytes);
    else this.send(frame.payload, { binary: false });
  }

  /** Its remote-hook subscriber (made when it first subscribes; it must be live). */
  hookSubscriber(): HookSubscriber {
    const key = this.key!;
    return (this.subscriber ??= {
      kind: key.kind,
      environment: key.environment,
      send: (message) => this.write(PreparedFrame.of(message)),
    });
  }

  /** Closes with a code and a reason (cut to the 123 bytes a close frame holds). */
  closeWith(code: number, reason: string): void {
    if (this.readyState !== WebSocket.OPEN && this.readyState !== WebSocket.CONNECTING) return;
    let text = reason;
    while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
    this.close(code, text);
  }
}
