/** Checks that a library served the expected shares, so none is timed doing less work. */

export type CaseName = 'rollout' | 'targeting' | 'experiment';

const TOLERANCE = 0.02;

export interface OutcomeCheck {
  ok: boolean;
  summary: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Compares the outcome of each unit with what the case defines. */
export function checkOutcomes(
  caseName: CaseName,
  outcomes: readonly unknown[],
  truth: { targeted: readonly boolean[]; targetedShare: number; arms: readonly string[] },
): OutcomeCheck {
  const n = outcomes.length;
  if (caseName === 'experiment') {
    const shares = truth.arms.map((arm) => outcomes.filter((o) => o === arm).length / n);
    const ok = shares.every((s) => Math.abs(s - 1 / 3) < TOLERANCE);
    return { ok, summary: `arms ${shares.map(pct).join(' / ')} (expect 33.3% each)` };
  }
  const on = outcomes.filter((o) => o === true).length / n;
  if (caseName === 'rollout') {
    return { ok: Math.abs(on - 0.5) < TOLERANCE, summary: `on ${pct(on)} (expect 50%)` };
  }
  const leaked = outcomes.filter((o, i) => o === true && !truth.targeted[i]).length;
  const expected = truth.targetedShare * 0.5;
  return {
    ok: leaked === 0 && Math.abs(on - expected) < TOLERANCE,
    summary: `on ${pct(on)} (expect ${pct(expected)} = 50% of the ${pct(truth.targetedShare)} targeted; ${leaked} untargeted on)`,
  };
}
