import { summarize } from '../shared/percentiles';
import { formatNumber, renderTable } from '../shared/table';
import type { Cell } from '../shared/table';
import type { LoadResult } from './http-load';
import type { FloorResult } from './sqlite-floor';

/** The targets for ingestion over HTTP. */
export const TARGETS = { eventsPerSecond: 50_000, shareOfFloor: 0.6, p99Ms: 100 };

/** Our row: figures from the load, or why there are none. */
export interface OurOutcome {
  name: string;
  load?: LoadResult;
  reason?: string;
}

function ourRow(ours: OurOutcome): Cell[] {
  const load = ours.load;
  if (!load) return [ours.name, undefined, undefined, undefined, undefined, undefined];
  const latency = summarize(load.latenciesMs);
  const events = load.accepted + load.duplicates + load.rejected;
  return [ours.name, events, load.seconds, events / load.seconds, latency.p50, latency.p99];
}

function floorRow(name: string, floor: FloorResult): Cell[] {
  return [name, floor.events, floor.seconds, floor.eventsPerSecond, undefined, undefined];
}

/** A floor run shown beside ours for contrast only. */
export interface Contrast {
  name: string;
  result: FloorResult;
}

/** The table of ours beside the floor (and contrasts), then the ratio and the targets. */
export function renderReport(
  ours: OurOutcome,
  floor: FloorResult,
  contrasts: readonly Contrast[],
): string {
  const header = ['ingestion', 'events', 'seconds', 'events/s', 'p50 ms', 'p99 ms'];
  const lines = [
    renderTable(header, [
      ourRow(ours),
      floorRow('floor: UUID v7 ids (faster of 2)', floor),
      ...contrasts.map((c) => floorRow(c.name, c.result)),
    ]),
    '',
  ];
  if (ours.reason) lines.push(`${ours.name}: ${ours.reason}`);
  const load = ours.load;
  if (load) {
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const rate = (load.accepted + load.duplicates + load.rejected) / load.seconds;
    const share = rate / floor.eventsPerSecond;
    const p99 = summarize(load.latenciesMs).p99;
    lines.push(
      `ours/floor (v7): ${formatNumber(share * 100, 0)}% (target ≥ ${TARGETS.shareOfFloor * 100}%: ${verdict(share >= TARGETS.shareOfFloor)})`,
      `ours: ${formatNumber(rate)} events/s (target ≥ ${formatNumber(TARGETS.eventsPerSecond)}: ${verdict(rate >= TARGETS.eventsPerSecond)}), ` +
        `p99 ${formatNumber(p99, 1)} ms (target ≤ ${TARGETS.p99Ms}: ${verdict(p99 <= TARGETS.p99Ms)})`,
    );
  } else {
    lines.push('ours/floor: – (ours has no figures)');
  }
  return lines.join('\n');
}
