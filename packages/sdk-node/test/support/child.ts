import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A child Node process running a TypeScript file through tsx, with its stdout as JSON lines. */
export interface Child {
  process: ChildProcess;
  /** The JSON lines printed so far. */
  lines: Record<string, unknown>[];
  /** Everything written to stderr (for failure messages). */
  stderr(): string;
  /** Resolves with the first line (so far or to come) that `match` accepts. */
  line(
    match: (line: Record<string, unknown>) => boolean,
    ms?: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `node --import tsx <file> ...args` with `env` added to this process's environment. */
export function startChild(
  file: string,
  env: Record<string, string>,
  cwd?: string,
  args: string[] = [],
): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ text: part });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    stderr: () => err,
    exited,
    line(match, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no matching line in ${ms} ms; stdout ${JSON.stringify(lines)}; stderr ${err}`,
            ),
          );
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
