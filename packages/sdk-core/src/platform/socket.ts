/** Callbacks a `SocketFactory` wires to the socket it opens. */
export interface SocketHandlers {
  /** The connection is open and `send` may be called. */
  onOpen(): void;
  /** One text frame arrived. */
  onMessage(data: string): void;
  /**
   * The connection ended (or never opened). Called exactly once per socket; a failed connect
   * reports code 1006.
   */
  onClose(code: number, reason: string): void;
}

/** An open (or opening) WebSocket, reduced to what sync needs. */
export interface SyncSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * Opens a WebSocket to `url` and reports its life through `handlers`. Both `ws` and the
 * browser's `WebSocket` fit in a few lines, e.g. for the browser:
 * `(url, h) => { const s = new WebSocket(url); s.onopen = () => h.onOpen(); s.onmessage = (e) =>
 * h.onMessage(String(e.data)); s.onclose = (e) => h.onClose(e.code, e.reason); return s; }`.
 */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SyncSocket;
