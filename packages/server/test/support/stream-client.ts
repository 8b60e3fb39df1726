import { applyDelta } from '@switchyard/core';
import type { ConfigSnapshot, ServerMessage } from '@switchyard/core/schema';
import { ServerMessageSchema } from '@switchyard/core/schema';
import WebSocket from 'ws';

/** How a socket ended. */
export interface Closed {
  code: number;
  reason: string;
}

/**
 * A test's SDK-like connection to `/v1/stream`: every server message is checked against core's
 * schema and kept; snapshots and deltas are applied with core's `applyDelta`, and a delta that
 * does not fit is recorded as a gap.
 */
export class StreamClient {
  readonly messages: ServerMessage[] = [];
  readonly gaps: string[] = [];
  readonly invalid: string[] = [];
  snapshot: ConfigSnapshot | undefined;
  readonly closed: Promise<Closed>;
  #read = 0;
  #waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.#wake();
      }),
    );
    socket.on('error', () => undefined);
    socket.on('message', (data) => this.#received(String(data)));
  }

  /** Opens a socket to the server at `url` (http://…), optionally with a query string. */
  static open(
    url: string,
    query = '',
    options: WebSocket.ClientOptions = {},
  ): Promise<StreamClient> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream${query}`, options);
    const client = new StreamClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Opens a socket and says hello; resolves with the client once the answer came. */
  static async connect(
    url: string,
    key: string,
    since?: number,
    query = '',
  ): Promise<StreamClient> {
    const client = await StreamClient.open(url, query);
    client.send({ type: 'hello', key, ...(since === undefined ? {} : { since }) });
    await client.next((m) => m.type === 'snapshot' || m.type === 'delta');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message not yet taken by `next` that satisfies `test` (earlier ones are skipped). */
  async next(
    test: (m: ServerMessage) => boolean = () => true,
    timeoutMs = 3000,
  ): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#read < this.messages.length) {
        const m = this.messages[this.#read++]!;
        if (test(m)) return m;
      }
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('the socket closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiter = () => done();
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(waiter);
      });
    }
  }

  /** Waits until the client's config reaches `version`. */
  async reach(version: number, timeoutMs = 3000): Promise<ConfigSnapshot> {
    const deadline = Date.now() + timeoutMs;
    while ((this.snapshot?.version ?? -1) < version) {
      if (Date.now() > deadline) {
        throw new Error(`stuck at version ${this.snapshot?.version}, waiting for ${version}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.snapshot!;
  }

  close(): Promise<Closed> {
    this.socket.close(1000, 'test done');
    return this.closed;
  }

  #received(text: string): void {
    const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.invalid.push(text.slice(0, 200));
      return;
    }
    const m = parsed.data;
    this.messages.push(m);
    if (m.type === 'snapshot') {
      const { type: _type, ...snapshot } = m;
      this.snapshot = snapshot;
    } else if (m.type === 'delta') {
      const next = this.snapshot ? applyDelta(this.snapshot, m) : null;
      if (next) this.snapshot = next;
      else this.gaps.push(`at ${this.snapshot?.version}: ${m.from}→${m.to}`);
    }
    this.#wake();
  }

  #wake(): void {
    for (const w of this.#waiters) w();
    this.#waiters.clear();
  }
}
