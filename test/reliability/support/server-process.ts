import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(
  new URL('../bin/switchyard.mjs', import.meta.resolve('@switchyard/server')),
);

/** A free TCP port of 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** An answer of the REST API. */
export interface Answer {
  status: number;
  // Tests read whatever the answer holds.
  body: any;
}

/**
 * `switchyard serve` as a separate process, as users run it: on a fixed port and database (a
 * SQLite file or a PostgreSQL URL), with a known admin key, so it can be killed (-9 or TERM)
 * and started again on the same port and data.
 */
export class ServerProcess {
  #child: ChildProcess | undefined;
  #output = '';

  constructor(
    readonly db: string,
    readonly port: number,
    /** The initial admin key (another instance on the same database must use the first's). */
    readonly adminKey = `sy_admin_${randomBytes(16).toString('hex')}`,
  ) {}

  static async start(db: string, adminKey?: string): Promise<ServerProcess> {
    const server = new ServerProcess(db, await freePort(), adminKey);
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The last lines the process printed, for failure messages. */
  get output(): string {
    return this.#output.split('\n').slice(-15).join('\n');
  }

  /** Starts the process and waits until it answers /healthz. */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--host', '127.0.0.1', '--port', String(this.port), '--db', this.db],
      {
        env: {
          ...process.env,
          SWITCHYARD_ADMIN_KEY: this.adminKey,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`switchyard serve exited: ${this.output}`);
      }
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`switchyard serve did not answer within ${timeoutMs} ms: ${this.output}`);
  }

  /** Kills the process as a crash would (SIGKILL): nothing is flushed or closed. */
  kill(): Promise<void> {
    return this.#end('SIGKILL');
  }

  /** Stops the process gracefully (SIGTERM). */
  stop(): Promise<void> {
    return this.#end('SIGTERM');
  }

  /** A JSON REST call, with the admin key unless another is given. */
  async api(method: string, path: string, body?: unknown, key = this.adminKey): Promise<Answer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** A REST call that must succeed (2xx); answers the body. */
  async ok(method: string, path: string, body?: unknown, key?: string): Promise<any> {
    const answer = await this.api(method, path, body, key);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  /** Makes a server or client key of an environment; answers its secret. */
  async key(kind: 'server' | 'client', environment = 'development'): Promise<string> {
    return (await this.ok('POST', '/v1/keys', { kind, environment })).secret;
  }

  async #end(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}
