import type { ChildProcess } from 'node:child_process';

/**
 * The IPC messages of one child, awaited by type: `next('applied')` resolves with the next such
 * message, whether it already arrived or arrives later, and rejects when the child exits first.
 * Messages of a type in `unsolicited` (reports nobody asked for) go to that handler instead.
 */
export class Mailbox<M extends { type: string }, C extends { type: string }> {
  readonly #queue: M[] = [];
  readonly #waiters: { type: string; resolve: (m: M) => void; reject: (e: Error) => void }[] = [];
  #exit: Error | undefined;

  constructor(
    readonly child: ChildProcess,
    private readonly name: string,
    private readonly unsolicited: Readonly<Record<string, (message: M) => void>> = {},
  ) {
    child.on('message', (message) => this.#deliver(message as M));
    child.once('exit', (code, signal) => {
      this.#exit = new Error(`${name} exited (${code ?? signal})`);
      for (const w of this.#waiters.splice(0)) w.reject(this.#exit);
    });
  }

  /** Sends a command to the child. */
  send(command: C): void {
    if (!this.child.connected) throw new Error(`${this.name} is gone`);
    this.child.send(command);
  }

  /** The next message of `type`, waiting at most `timeoutMs`. */
  next<T extends M['type']>(type: T, timeoutMs: number): Promise<Extract<M, { type: T }>> {
    const index = this.#queue.findIndex((m) => m.type === type);
    if (index >= 0)
      return Promise.resolve(this.#queue.splice(index, 1)[0] as Extract<M, { type: T }>);
    if (this.#exit) return Promise.reject(this.#exit);
    return new Promise((resolve, reject) => {
      const waiter = {
        type,
        resolve: (m: M) => {
          clearTimeout(timer);
          resolve(m as Extract<M, { type: T }>);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  #deliver(message: M): void {
    const handler = this.unsolicited[message.type];
    if (handler) return handler(message);
    const index = this.#waiters.findIndex((w) => w.type === message.type);
    if (index >= 0) this.#waiters.splice(index, 1)[0]!.resolve(message);
    else this.#queue.push(message);
  }
}
