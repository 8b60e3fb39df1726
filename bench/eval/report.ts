/** Prints the benchmark table. */
import type { CaseName, OutcomeCheck } from './outcomes';

export interface Measurement {
  library: string;
  caseName: CaseName;
  perSecond: number;
  check: OutcomeCheck;
}

const CASES: Record<CaseName, string> = {
  rollout: '(a) boolean flag, 50% rollout',
  targeting: '(b) 3 conditions, then 50% rollout',
  experiment: '(c) 3-arm experiment',
};

const rate = (perSecond: number) =>
  perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${Math.round(perSecond / 1e3)} k/s`;

const ROLLOUT_TARGET = 3;
const FLOOR_TARGET = 1.5;

/** Evaluations per second per library and case, our ratio to the fastest peer, and the hash floor. */
export function printReport(
  measurements: readonly Measurement[],
  floors: { floor: number; unitFloor: number },
  info: { units: number; rounds: number; seconds: number; floorKey: string },
): void {
  const libraries = [...new Set(measurements.map((m) => m.library))];
  const peers = libraries.filter((l) => l !== 'switchyard');
  const find = (library: string, caseName: CaseName) =>
    measurements.find((m) => m.library === library && m.caseName === caseName)!;
  console.log(
    `\nEvaluation throughput — Node ${process.version}, ${info.units.toLocaleString('en')} units varied on every call, median of ${info.rounds} interleaved rounds\n`,
  );
  const header = [
    'case'.padEnd(38),
    ...libraries.map((l) => l.padStart(12)),
    'vs fastest peer'.padStart(17),
  ];
  console.log(header.join(''));
  const ratios: number[] = [];
  for (const caseName of Object.keys(CASES) as CaseName[]) {
    const ours = find('switchyard', caseName).perSecond;
    const fastestPeer = Math.max(...peers.map((p) => find(p, caseName).perSecond));
    ratios.push(ours / fastestPeer);
    const cells = libraries.map((l) => rate(find(l, caseName).perSecond).padStart(12));
    console.log(
      [
        CASES[caseName].padEnd(38),
        ...cells,
        `${(ours / fastestPeer).toFixed(1)}×`.padStart(17),
      ].join(''),
    );
  }
  const { floor, unitFloor } = floors;
  const ours = find('switchyard', 'rollout').perSecond;
  console.log(
    `\nfloor: hash('${info.floorKey}') ${rate(floor)}; (a) takes ${(floor / ours).toFixed(2)}× the floor's time per call`,
  );
  console.log(
    `       hashWithPrefix(cached prefix, unit) ${rate(unitFloor)} (what (a) hashes); (a) takes ${(unitFloor / ours).toFixed(2)}× its time`,
  );
  console.log('\nOutcome checks (each library must do the work the case defines):');
  for (const m of measurements) {
    console.log(
      `  ${m.check.ok ? 'ok  ' : 'FAIL'} ${m.library.padEnd(11)} ${m.caseName.padEnd(11)} ${m.check.summary}`,
    );
  }
  const fastEnough = ratios.every((r) => r >= ROLLOUT_TARGET);
  const nearFloor = floor / ours <= FLOOR_TARGET;
  console.log(
    `\nTargets: ≥${ROLLOUT_TARGET}× the fastest peer on every case: ${fastEnough ? 'met' : 'MISSED'}; ` +
      `(a) within ${FLOOR_TARGET}× of the floor: ${nearFloor ? 'met' : 'MISSED'}. Ran ${info.seconds.toFixed(1)} s.`,
  );
}
