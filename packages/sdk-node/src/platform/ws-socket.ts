import type { SocketFactory } from '@switchyard/sdk-core';
import WebSocket from 'ws';

/** Options of the `ws` connection. */
export interface WsSocketOptions {
  /** How long the opening handshake may take, in ms (default 10,000). */
  handshakeTimeoutMs?: number;
  /** Extra headers of the upgrade request (e.g. a proxy's). */
  headers?: Record<string, string>;
}

/**
 * Opens sync sockets with `ws`. Compression stays off: config messages are small and
 * per-message deflate costs both sides far more than it saves. Answers the server's pings
 * (`ws` does it), which is how the server finds dead peers.
 */
export function wsSocketFactory(options: WsSocketOptions = {}): SocketFactory {
  return (url, handlers) => {
    const ws = new WebSocket(url, {
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    ws.on('open', () => handlers.onOpen());
    ws.on('message', (data, isBinary) => {
      if (!isBinary) handlers.onMessage(data.toString());
    });
    ws.on('close', (code, reason) => handlers.onClose(code, reason.toString()));
    // `ws` follows every error with a close event, which is what sync acts on.
    ws.on('error', () => {});
    return {
      send: (data) => ws.send(data),
      close: (code, reason) => ws.close(code, reason),
    };
  };
}
