import { summarize } from '../shared/percentiles';
import { formatNumber, renderTable } from '../shared/table';
import type { Cell } from '../shared/table';
import type { Side } from './propagation';

/** One row of the table: a measured side, or why there is none. */
export interface SideOutcome {
  name: string;
  side?: Side;
  /** `not available: …` or `failed: …` */
  reason?: string;
}

/** The targets: our p99 and max no worse than the floor's, ≤ 12 KB per idle connection. */
export const TARGETS = { ratio: 1.0, kbPerIdleConnection: 12 };

/** The side when it has figures to show. */
function measured(outcome: SideOutcome): Side | undefined {
  const side = outcome.side;
  return side && side.reason === undefined && side.latenciesMs.length > 0 ? side : undefined;
}

/** Server memory per idle connection, in KB (RSS and heapUsed), from the before/after samples. */
export function perConnectionKb(side: Side): { rss: number; heap: number | undefined } {
  const n = side.connected?.ready ?? NaN;
  const { memoryBefore: before, memoryAfter: after } = side;
  if (!before || !after) return { rss: NaN, heap: undefined };
  const heap =
    before.heapUsed !== undefined && after.heapUsed !== undefined
      ? (after.heapUsed - before.heapUsed) / 1024 / n
      : undefined;
  return { rss: (after.rss - before.rss) / 1024 / n, heap };
}

function row(outcome: SideOutcome): Cell[] {
  const side = measured(outcome);
  if (!side) return [outcome.name, ...Array<Cell>(7).fill(undefined)];
  const latency = summarize(side.latenciesMs);
  const completion = summarize(side.completionMs);
  const kb = perConnectionKb(side);
  return [
    outcome.name,
    side.connected?.ready,
    latency.p50,
    latency.p99,
    latency.max,
    completion.p50,
    kb.rss,
    kb.heap,
  ];
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/**
 * Where the machine's CPU went per change: the server's share beside the client processes'
 * (on 2 cores, the SDKs' work is most of it, and it is the same for both servers).
 */
function cpuLine(outcome: SideOutcome): string | undefined {
  const cpu = measured(outcome)?.cpuMs;
  if (!cpu || cpu.server.length === 0) return undefined;
  return (
    `${outcome.name}: CPU per change (mean of ${cpu.server.length}): server ` +
    `${formatNumber(summarize(cpu.server).mean, 0)} ms, client processes ` +
    `${formatNumber(summarize(cpu.clients).mean, 0)} ms`
  );
}

/** The results table, the ratios against the targets, and why a side has no figures. */
export function renderReport(ours: SideOutcome, floor: SideOutcome): string {
  const header = [
    'server',
    'clients',
    'p50 ms',
    'p99 ms',
    'max ms',
    'all-applied p50 ms',
    'KB/idle conn (RSS)',
    'KB/idle conn (heap)',
  ];
  const lines = [renderTable(header, [row(ours), row(floor)]), ''];
  for (const outcome of [ours, floor]) {
    const reason = outcome.reason ?? outcome.side?.reason;
    if (reason) lines.push(`${outcome.name}: ${reason}`);
    const missing = outcome.side?.missing ?? 0;
    if (missing > 0) {
      lines.push(
        `${outcome.name}: ${missing} client-changes not applied in time (∞ in all-applied)`,
      );
    }
  }
  const cpu = [cpuLine(ours), cpuLine(floor)].filter((l) => l !== undefined);
  if (cpu.length > 0) lines.push(...cpu, '');
  const o = measured(ours);
  const f = measured(floor);
  if (!o || !f) {
    lines.push('ratio ours/floor: – (needs both rows)');
    return lines.join('\n');
  }
  const os = summarize(o.latenciesMs);
  const fs = summarize(f.latenciesMs);
  const kb = perConnectionKb(o).rss;
  const ratio = (a: number, b: number) => formatNumber(a / b, 2);
  lines.push(
    `ratio ours/floor: p50 ${ratio(os.p50, fs.p50)}, ` +
      `p99 ${ratio(os.p99, fs.p99)} (target ≤ ${TARGETS.ratio}: ${verdict(os.p99 / fs.p99 <= TARGETS.ratio)}), ` +
      `max ${ratio(os.max, fs.max)} (target ≤ ${TARGETS.ratio}: ${verdict(os.max / fs.max <= TARGETS.ratio)})`,
    `ours per idle connection: ${formatNumber(kb, 1)} KB ` +
      `(target ≤ ${TARGETS.kbPerIdleConnection}: ${verdict(kb <= TARGETS.kbPerIdleConnection)})`,
  );
  return lines.join('\n');
}
