import { summarize } from '../shared/percentiles';
import { formatNumber, renderTable } from '../shared/table';
import type { Cell } from '../shared/table';
import type { LoadResult } from './http-load';
import type { FloorResult } from './sqlite-floor';

/** The targets for ingestion over HTTP. */
export const TARGETS = { eventsPerSecond: 50_000, shareOfFloor: 0.6, p99Ms: 100 };

/** Our rows: figures from the closed loop and the paced phase, or why there are none. */
export interface OurOutcome {
  name: string;
  /** As fast as 16 connections go: throughput (its latency is in-flight / throughput). */
  load?: LoadResult;
  /** TARGETS.eventsPerSecond offered: the latency at that load. */
  paced?: LoadResult;
  reason?: string;
}

function loadRow(name: string, load: LoadResult | undefined): Cell[] {
  if (!load) return [name, undefined, undefined, undefined, undefined, undefined];
  const latency = summarize(load.latenciesMs);
  const events = load.accepted + load.duplicates + load.rejected;
  return [name, events, load.seconds, events / load.seconds, latency.p50, latency.p99];
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
      loadRow(`${ours.name}, closed loop`, ours.load),
      ...(ours.paced ? [loadRow(`${ours.name}, paced`, ours.paced)] : []),
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
    const saturated = summarize(load.latenciesMs);
    lines.push(
      `ours/floor (v7): ${formatNumber(share * 100, 1)}% (target ≥ ${TARGETS.shareOfFloor * 100}%: ${verdict(share >= TARGETS.shareOfFloor)})`,
      `ours: ${formatNumber(rate)} events/s (target ≥ ${formatNumber(TARGETS.eventsPerSecond)}: ${verdict(rate >= TARGETS.eventsPerSecond)})`,
    );
    const paced = ours.paced;
    if (paced) {
      const p99 = summarize(paced.latenciesMs).p99;
      // Below the offered rate, the server fell behind it: the latencies then are a queue's.
      const kept = (paced.accepted + paced.duplicates + paced.rejected) / paced.seconds;
      lines.push(
        `ours at ${formatNumber(TARGETS.eventsPerSecond)} events/s offered (${formatNumber(kept)} taken): ` +
          `p99 ${formatNumber(p99, 1)} ms (target ≤ ${TARGETS.p99Ms}: ${verdict(p99 <= TARGETS.p99Ms)})`,
      );
    }
    lines.push(
      `ours flat out: p50 ${formatNumber(saturated.p50, 1)} ms, p99 ${formatNumber(saturated.p99, 1)} ms ` +
        '(for reference: every connection always has a batch in flight, so the mean is in-flight events / throughput)',
    );
  } else {
    lines.push('ours/floor: – (ours has no figures)');
  }
  return lines.join('\n');
}
