import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';
import { MEMORY_PROBE_ARGS, sampleMemory } from './memory-sample';
import type { MemorySample } from './memory-sample';
import { OutputTail } from './output-tail';
import type { ProcessGroup } from './process-group';

/** The answer to a REST call: status and parsed JSON body (or the raw text). */
export interface RestAnswer {
  status: number;
  body: unknown;
}

/** Our server as a user runs it, as a separate process: for benchmarks against the real thing. */
export class SwitchyardServer {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly adminKey: string,
    readonly dbPath: string,
    private readonly memoryFile: string,
    private readonly output: OutputTail,
    private readonly group: ProcessGroup,
  ) {}

  /**
   * Starts `switchyard serve` on a free port of 127.0.0.1 with a fresh SQLite file in `dir` and a
   * known admin key, and waits until it answers HTTP. Throws, with the server's last output, if
   * it exits or does not answer within `timeoutMs`.
   */
  static async start(
    group: ProcessGroup,
    dir: string,
    timeoutMs = 30_000,
  ): Promise<SwitchyardServer> {
    const port = await freePort();
    const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
    const dbPath = join(dir, 'switchyard.sqlite');
    const memoryFile = join(dir, 'server-memory.json');
    const bin = fileURLToPath(
      new URL('../bin/switchyard.mjs', import.meta.resolve('@switchyard/server')),
    );
    const child = group.spawn(
      process.execPath,
      [
        ...MEMORY_PROBE_ARGS,
        bin,
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--db',
        dbPath,
      ],
      {
        env: {
          ...process.env,
          SWITCHYARD_ADMIN_KEY: adminKey,
          SWITCHYARD_BENCH_MEMORY_FILE: memoryFile,
          NODE_ENV: 'production',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output = new OutputTail().follow(child.stdout).follow(child.stderr);
    const server = new SwitchyardServer(child, port, adminKey, dbPath, memoryFile, output, group);
    await server.#waitUntilListening(timeoutMs);
    return server;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The server's last lines of output, for error messages. */
  lastOutput(lines = 8): string {
    return this.output.lastLines(lines);
  }

  /** A JSON REST call with `key` (default: the admin key) as the bearer token. */
  async request(
    method: string,
    path: string,
    body?: unknown,
    key = this.adminKey,
  ): Promise<RestAnswer> {
    const response = await fetch(this.url + path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error message.
    }
    return { status: response.status, body: parsed };
  }

  /** Creates a server or client key for `environment` and returns its secret. */
  async createKey(kind: 'server' | 'client', environment = 'development'): Promise<string> {
    const answer = await this.request('POST', '/v1/keys', { kind, environment });
    const secret = (answer.body as { secret?: unknown } | null)?.secret;
    if (answer.status !== 201 || typeof secret !== 'string') {
      throw new Error(`POST /v1/keys answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return secret;
  }

  /** RSS and heapUsed from inside the server, after a full GC. */
  sampleMemory(): Promise<MemorySample> {
    return sampleMemory(this.pid, this.memoryFile);
  }

  /** Kills the server with SIGKILL, as a crash would: what it acknowledged must survive. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Stops the server (SIGTERM, so it closes its store cleanly). */
  stop(): Promise<void> {
    return this.group.stop(this.child, 10_000);
  }

  async #waitUntilListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `switchyard serve exited (${this.child.exitCode ?? this.child.signalCode}): ${this.lastOutput(3)}`,
        );
      }
      try {
        const response = await fetch(this.url + '/healthz', { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.stop();
    throw new Error(
      `switchyard serve did not answer within ${timeoutMs} ms: ${this.lastOutput(3)}`,
    );
  }
}
