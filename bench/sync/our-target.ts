import WebSocket from 'ws';
import type { MemorySample } from '../shared/memory-sample';
import type { ProcessGroup } from '../shared/process-group';
import { SwitchyardServer } from '../shared/switchyard-server';
import { Unavailable } from '../shared/unavailable';
import type { PropagationTarget } from './propagation-target';
import { changePercent } from './synthetic-frames';

/** Flags in the benchmark's environment, so the snapshot is not trivially small. */
const FLAGS = 10;

/** Our server as users run it (`switchyard serve` on SQLite), changed through REST. */
export class OurTarget implements PropagationTarget {
  readonly name = 'ours: switchyard serve';

  private constructor(
    readonly server: SwitchyardServer,
    readonly key: string,
    private readonly flagId: string,
  ) {}

  /**
   * Starts the server, makes a server key and ten boolean flags in `development`, and checks
   * that `/v1/stream` answers hello with a snapshot; throws `Unavailable` if it does not.
   */
  static async start(group: ProcessGroup, dir: string): Promise<OurTarget> {
    const server = await SwitchyardServer.start(group, dir);
    try {
      const key = await server.createKey('server');
      const ids: string[] = [];
      for (let i = 0; i < FLAGS; i++) {
        const answer = await server.request('POST', '/v1/flags', {
          key: `bench-flag-${i}`,
          type: 'boolean',
          variants: [
            { key: 'on', value: true },
            { key: 'off', value: false },
          ],
          default: 'on',
          offVariant: 'off',
          rolloutPercent: 0,
          enabled: true,
        });
        const id = (answer.body as { $id?: unknown } | null)?.$id;
        if (answer.status !== 201 || typeof id !== 'string') {
          throw new Error(
            `POST /v1/flags answered ${answer.status}: ${JSON.stringify(answer.body)}`,
          );
        }
        ids.push(id);
      }
      const target = new OurTarget(server, key, ids[0]!);
      await target.#probeStream();
      return target;
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  get baseUrl(): string {
    return this.server.url;
  }

  get pid(): number {
    return this.server.pid;
  }

  async change(i: number): Promise<void> {
    const path = `/v1/flags/${encodeURIComponent(this.flagId)}/rollout`;
    const answer = await this.server.request('POST', path, { percent: changePercent(i) });
    if (answer.status !== 200) {
      throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  }

  memory(): Promise<MemorySample> {
    return this.server.sampleMemory();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** One socket says hello; no snapshot within 10 s means the sync hub is not there (yet). */
  #probeStream(): Promise<void> {
    const socket = new WebSocket(`ws://127.0.0.1:${this.server.port}/v1/stream`);
    return new Promise<void>((resolve, reject) => {
      const fail = (reason: string) => reject(new Unavailable(`/v1/stream: ${reason}`));
      const timer = setTimeout(() => fail('no snapshot within 10 s of hello'), 10_000);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', key: this.key })));
      socket.on('unexpected-response', (_request, response) =>
        fail(`HTTP ${response.statusCode} on upgrade`),
      );
      socket.on('error', (error) => fail(error.message));
      socket.on('close', (code, reason) => fail(`closed ${code} ${reason.toString()}`));
      socket.on('message', (data) => {
        const text = String(data);
        if (messageType(text) === 'snapshot') resolve();
        else fail(`answered hello with ${text.slice(0, 120)}`);
      });
      socket.once('close', () => clearTimeout(timer));
    }).finally(() => socket.terminate());
  }
}

/** The `type` of a JSON message, or undefined when it is not one. */
function messageType(text: string): unknown {
  try {
    return (JSON.parse(text) as { type?: unknown } | null)?.type;
  } catch {
    return undefined;
  }
}
