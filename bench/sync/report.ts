import { summarize } from '../shared/percentiles';
import { formatNumber, renderTable } from '../shared/table';
import type { Cell } from '../shared/table';
import type { PropagationResult } from './propagation';

/** One row of the table: figures, or why there are none. */
export interface SideOutcome {
  name: string;
  result?: PropagationResult;
  /** `not available: …` or `failed: …` */
  reason?: string;
}

/** The targets: our p99 and max no worse than the floor's, ≤ 12 KB per idle socket. */
export const TARGETS = { ratio: 1.0, kbPerIdleConnection: 12 };

/** Server memory per idle connection, in KB (RSS and heapUsed), from the before/after samples. */
export function perConnectionKb(result: PropagationResult): {
  rss: number;
  heap: number | undefined;
} {
  const n = result.connected.ready;
  const { memoryBefore: before, memoryAfter: after } = result;
  const heap =
    before.heapUsed !== undefined && after.heapUsed !== undefined
      ? (after.heapUsed - before.heapUsed) / 1024 / n
      : undefined;
  return { rss: (after.rss - before.rss) / 1024 / n, heap };
}

function row(side: SideOutcome): Cell[] {
  const r = side.result;
  if (!r)
    return [side.name, undefined, undefined, undefined, undefined, undefined, undefined, undefined];
  const latency = summarize(r.latenciesMs);
  const completion = summarize(r.completionMs);
  const kb = perConnectionKb(r);
  return [
    side.name,
    r.connected.ready,
    latency.p50,
    latency.p99,
    latency.max,
    completion.p50,
    kb.rss,
    kb.heap,
  ];
}

/** The results table, the ratios against the targets, and why a side has no figures. */
export function renderReport(ours: SideOutcome, floor: SideOutcome): string {
  const header = [
    'server',
    'sockets',
    'p50 ms',
    'p99 ms',
    'max ms',
    'all-applied p50 ms',
    'KB/idle conn (RSS)',
    'KB/idle conn (heap)',
  ];
  const lines = [renderTable(header, [row(ours), row(floor)]), ''];
  for (const side of [ours, floor]) {
    if (side.reason) lines.push(`${side.name}: ${side.reason}`);
    const r = side.result;
    if (r && r.missing > 0)
      lines.push(
        `${side.name}: ${r.missing} socket-changes not applied in time (counted as ∞ in all-applied)`,
      );
  }
  if (ours.result && floor.result) {
    const o = summarize(ours.result.latenciesMs);
    const f = summarize(floor.result.latenciesMs);
    const kb = perConnectionKb(ours.result).rss;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    lines.push(
      `ratio ours/floor: p50 ${formatNumber(o.p50 / f.p50, 2)}, p99 ${formatNumber(o.p99 / f.p99, 2)} (target ≤ ${TARGETS.ratio}: ${verdict(o.p99 / f.p99 <= TARGETS.ratio)}), ` +
        `max ${formatNumber(o.max / f.max, 2)} (target ≤ ${TARGETS.ratio}: ${verdict(o.max / f.max <= TARGETS.ratio)})`,
      `ours per idle connection: ${formatNumber(kb, 1)} KB (target ≤ ${TARGETS.kbPerIdleConnection}: ${verdict(kb <= TARGETS.kbPerIdleConnection)})`,
    );
  } else {
    lines.push('ratio ours/floor: – (needs both rows)');
  }
  return lines.join('\n');
}
