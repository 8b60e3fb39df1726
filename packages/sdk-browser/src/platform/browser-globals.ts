import type { Clock, FetchLike, RandomBytes, SocketFactory } from '@switchyard/sdk-core';

/** Real time and the page's timers (called as functions: the page's timers refuse another `this`). */
export const browserClock: Clock = {
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Web Crypto randomness, for event ids and backoff jitter. */
export const browserRandom: RandomBytes = (length) =>
  crypto.getRandomValues(new Uint8Array(length));

/** The global `fetch`, looked up at each call (so a polyfill or test double set later is used). */
export const browserFetch: FetchLike = (url, init) => fetch(url, init);

/**
 * Opens sync sockets with the browser's `WebSocket`. Binary frames are ignored (the protocol is
 * JSON text); an error is always followed by a close event, which is what sync acts on.
 */
export const browserSocket: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = ({ data }) => typeof data === 'string' && handlers.onMessage(data);
  socket.onclose = ({ code, reason }) => handlers.onClose(code, reason);
  return socket;
};
