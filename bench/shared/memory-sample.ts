import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Memory of a process at one moment, in bytes. */
export interface MemorySample {
  rss: number;
  /** Undefined when only /proc could be read. */
  heapUsed?: number;
  /** A full GC ran just before the sample. */
  collected: boolean;
}

/** The preload that answers SIGUSR2 with a memory sample (see memory-probe.cjs). */
export const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.cjs', import.meta.url));

/** Node flags that make a process sample-able with `sampleMemory`. */
export const MEMORY_PROBE_ARGS = ['--expose-gc', '--require', MEMORY_PROBE];

/**
 * Samples a process started with `MEMORY_PROBE_ARGS` and `SWITCHYARD_BENCH_MEMORY_FILE=file`:
 * GC first, then RSS and heapUsed from inside. If the probe does not answer within 3 s, falls
 * back to the resident set size in /proc/<pid>/status, which works for any process.
 */
export async function sampleMemory(pid: number, file: string): Promise<MemorySample> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as MemorySample;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { rss: residentBytes(pid), collected: false };
}

/** VmRSS of a process from /proc (Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
