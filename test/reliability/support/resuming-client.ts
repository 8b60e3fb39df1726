import { applyDelta } from '@switchyard/core';
import type { ConfigSnapshot, ServerMessage } from '@switchyard/core/schema';
import { ServerMessageSchema } from '@switchyard/core/schema';
import WebSocket from 'ws';

/**
 * An SDK's sync loop on a plain `ws` socket: hello with the version it has (`since`), applies
 * the snapshot or deltas the server sends (core's `applyDelta`), reconnects after a jittered
 * pause whenever the socket ends, and asks for a snapshot after a gap. It records what it got.
 */
export class ResumingClient {
  snapshot: ConfigSnapshot | undefined;
  /** The type of the first answer of each connection (`snapshot` or `delta`). */
  readonly answers: ServerMessage[] = [];
  readonly problems: string[] = [];
  connections = 0;
  #socket: WebSocket | undefined;
  #closed = false;
  #answered = false;

  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  get version(): number | undefined {
    return this.snapshot?.version;
  }

  /** Connects (and keeps reconnecting until `close`). */
  start(): void {
    this.#connect();
  }

  /** Waits until the client has a config at `version` or later. */
  async reach(version: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.version ?? -1) < version) {
      if (Date.now() > deadline) {
        throw new Error(
          `client at ${this.version}, expected ${version}; ${this.problems.join('; ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops for good. */
  close(): void {
    this.#closed = true;
    this.#socket?.terminate();
  }

  /** Drops the connection without reconnecting (an offline client); `start` resumes. */
  disconnect(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.removeAllListeners('close');
    socket?.terminate();
  }

  #connect(): void {
    if (this.#closed) return;
    const socket = new WebSocket(`${this.url.replace(/^http/, 'ws')}/v1/stream`);
    this.#socket = socket;
    this.#answered = false;
    socket.on('open', () => {
      this.connections++;
      const since = this.version;
      socket.send(
        JSON.stringify({ type: 'hello', key: this.key, ...(since === undefined ? {} : { since }) }),
      );
    });
    socket.on('message', (data) => this.#received(socket, String(data)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      setTimeout(() => this.#connect(), 50 + Math.random() * 150);
    });
  }

  #received(socket: WebSocket, text: string): void {
    const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.problems.push(`invalid message ${text.slice(0, 100)}`);
      return;
    }
    const m = parsed.data;
    if (!this.#answered && (m.type === 'snapshot' || m.type === 'delta')) {
      this.#answered = true;
      this.answers.push(m);
    }
    if (m.type === 'snapshot') {
      const { type: _type, ...snapshot } = m;
      this.snapshot = snapshot;
    } else if (m.type === 'delta') {
      const next = this.snapshot ? applyDelta(this.snapshot, m) : null;
      if (next) {
        this.snapshot = next;
        return;
      }
      // A gap: start over with a snapshot.
      this.problems.push(`gap at ${this.version}: ${m.from}→${m.to}`);
      this.snapshot = undefined;
      socket.close();
    }
  }
}
