import pg from 'pg';
import type { Logger } from '../logger';

/** Options of `PostgresCommitListener`. */
export interface PostgresCommitListenerOptions {
  /** A `postgres://` connection string. */
  url: string;
  /** The channel commits are announced on (`PostgresStore.channel`). */
  channel: string;
  /** Called for each announcement, and after each (re)connection (something may have been missed). */
  onNotice(): void;
  logger: Logger;
  /** First and largest wait before reconnecting, in ms (default 100 and 5000). */
  retryMs?: { first: number; max: number };
}

/**
 * Hears the commits of every instance on one PostgreSQL: a dedicated connection LISTENs on the
 * store's channel (each write transaction NOTIFYs it at commit with its last log seq), and
 * reconnects with backoff when the connection drops. The notice itself only says "read the
 * log": the rows come from the domain log, in order, through the `LogFollower`.
 */
export class PostgresCommitListener {
  #client: pg.Client | undefined;
  #stopped = false;
  #wait: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: PostgresCommitListenerOptions) {
    this.#wait = o.retryMs?.first ?? 100;
  }

  /** Connects and listens; resolves once listening (or after the first failure, retrying). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client({ connectionString: this.o.url });
    this.#client = client;
    client.on('notification', (message) => {
      if (message.channel === this.o.channel) this.o.onNotice();
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.o.channel.replace(/"/g, '""')}"`);
    } catch (error) {
      this.#lost(client, error);
      return;
    }
    this.#wait = this.o.retryMs?.first ?? 100;
    // Commits made while no connection listened are in the log: read it.
    this.o.onNotice();
  }

  /** The connection `client` failed or ended: unless it was replaced or stopped, reconnect. */
  #lost(client: pg.Client, error?: unknown): void {
    if (this.#stopped || this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.o.logger.warn({ err: error, retryMs: this.#wait }, 'commit listener lost its connection');
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, this.#wait);
    this.#timer.unref();
    this.#wait = Math.min(this.#wait * 2, this.o.retryMs?.max ?? 5000);
  }
}
