import { applyDelta } from '@switchyard/core';
import type { ConfigSnapshot } from '@switchyard/core';
import { ServerMessageSchema } from '@switchyard/core/schema';
import WebSocket from 'ws';

/** What a `StreamClient` tells its process. */
export interface StreamClientEvents {
  /** The socket got its first snapshot. */
  ready(client: StreamClient): void;
  /** The socket failed before it got a snapshot. */
  failed(client: StreamClient, reason: string): void;
  /** A delta was applied at `at` (process.hrtime.bigint()). */
  applied(client: StreamClient, at: bigint): void;
  /** Something a real SDK would report: a bad message, a version gap, a socket lost. */
  problem(client: StreamClient, message: string): void;
}

/**
 * One SDK-like connection to `/v1/stream`: says hello, keeps the config snapshot, and applies
 * each delta the way an SDK does — JSON.parse, validation against core's server-message schema,
 * core's `applyDelta` — so the benchmark times what an SDK would see, not mere frame arrival.
 */
export class StreamClient {
  snapshot: ConfigSnapshot | undefined;
  /** The socket's place in its process's list, set by the process once all are connected. */
  slot = -1;
  /** The last raw frame, kept only when `capture` is on. */
  lastFrame: string | undefined;
  readonly #socket: WebSocket;
  #closing = false;

  constructor(
    url: string,
    key: string,
    private readonly events: StreamClientEvents,
    private readonly capture = false,
  ) {
    // ws's defaults, as an SDK would use them (it offers permessage-deflate; the server decides).
    this.#socket = new WebSocket(url);
    this.#socket.on('open', () => this.#socket.send(JSON.stringify({ type: 'hello', key })));
    this.#socket.on('message', (data, isBinary) => this.#onFrame(String(data), isBinary));
    this.#socket.on('error', () => {}); // the close that follows says what happened
    this.#socket.on('unexpected-response', (_request, response) => {
      this.#fail(`HTTP ${response.statusCode} on upgrade`);
      this.#socket.terminate();
    });
    this.#socket.on('close', (code, reason) => {
      if (this.#closing) return;
      const why = `closed ${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`;
      if (this.snapshot === undefined) this.#fail(why);
      else this.events.problem(this, `socket ${why}`);
    });
  }

  /** Closes the socket; resolves once it is closed. */
  close(): Promise<void> {
    this.#closing = true;
    if (this.#socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.close(1000, 'benchmark done');
      // A server that never answers the close handshake must not hold the benchmark up.
      setTimeout(() => this.#socket.terminate(), 2000).unref();
    });
  }

  #onFrame(text: string, isBinary: boolean): void {
    if (this.capture) this.lastFrame = text;
    let raw: unknown;
    try {
      raw = isBinary ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const decoded = ServerMessageSchema.safeParse(raw);
    if (!decoded.success) {
      return this.events.problem(this, `invalid server message: ${text.slice(0, 120)}`);
    }
    const message = decoded.data;
    if (message.type === 'snapshot') {
      const first = this.snapshot === undefined;
      const { type: _type, ...snapshot } = message;
      this.snapshot = snapshot;
      if (first) this.events.ready(this);
    } else if (message.type === 'delta') {
      const next = this.snapshot ? applyDelta(this.snapshot, message) : null;
      if (next === null) {
        return this.events.problem(
          this,
          `version gap: at ${this.snapshot?.version}, delta ${message.from}→${message.to}`,
        );
      }
      this.snapshot = next;
      this.events.applied(this, process.hrtime.bigint());
    } else if (message.type === 'error') {
      this.events.problem(this, `server error ${message.code}: ${message.message}`);
    }
  }

  #fail(reason: string): void {
    if (this.snapshot !== undefined || this.#closing) return;
    this.#closing = true;
    this.events.failed(this, reason);
  }
}
