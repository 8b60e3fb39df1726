import { fork, spawn } from 'node:child_process';
import type { ChildProcess, ForkOptions, SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

/**
 * The child processes of one benchmark run. Every child started through it is killed when the
 * run ends, whether it ends normally, by an exception or by Ctrl-C, so no server or client
 * process outlives the benchmark.
 */
export class ProcessGroup {
  readonly #children = new Set<ChildProcess>();
  readonly #onExit = () => this.killAll('SIGKILL');
  readonly #onSignal = (signal: NodeJS.Signals) => {
    this.killAll('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor() {
    process.on('exit', this.#onExit);
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
  }

  /** Forks a TypeScript module (run through tsx) with an IPC channel. */
  forkTs(modulePath: string, args: readonly string[], options: ForkOptions = {}): ChildProcess {
    const execArgv = ['--import', import.meta.resolve('tsx'), ...(options.execArgv ?? [])];
    return this.#track(fork(modulePath, args, { ...options, execArgv, serialization: 'advanced' }));
  }

  /** Spawns a command. */
  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    return this.#track(spawn(command, args, options));
  }

  /** Stops one child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(child: ChildProcess, graceMs = 3000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Stops every child still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((c) => this.stop(c)));
  }

  /** Kills every child at once (synchronous: usable from an exit handler). */
  killAll(signal: NodeJS.Signals): void {
    for (const child of this.#children) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    }
  }

  /** Stops the children and removes the process handlers. */
  async close(): Promise<void> {
    await this.stopAll();
    process.off('exit', this.#onExit);
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }

  #track(child: ChildProcess): ChildProcess {
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }
}
