import type { Readable } from 'node:stream';

/**
 * Keeps the last `limit` characters a child wrote, so a failure can be explained, while
 * draining the pipe (a full pipe would block the child).
 */
export class OutputTail {
  #text = '';

  constructor(private readonly limit = 4000) {}

  /** Follows a stream until it ends. */
  follow(stream: Readable | null): this {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#text = (this.#text + chunk).slice(-this.limit);
    });
    return this;
  }

  /** What was kept, trimmed. */
  get text(): string {
    return this.#text.trim();
  }

  /** The last `n` lines. */
  lastLines(n: number): string {
    return this.text.split('\n').slice(-n).join('\n');
  }
}
