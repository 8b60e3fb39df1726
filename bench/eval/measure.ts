/**
 * Throughput of several evaluation functions, measured side by side: the machine is shared, so
 * rounds of the contenders alternate (in a rotating order) and each one's median round counts,
 * which spreads any background load over all of them alike.
 */

const WARMUP_MS = 300;
const ROUND_MS = 100;
export const ROUNDS = 9;

type Evaluate = (i: number) => unknown;

/** Calls `evaluate(i)` for i in 0…count-1, `passes` times; returns the milliseconds taken. */
function timePasses(
  count: number,
  passes: number,
  evaluate: Evaluate,
  sink: { n: number },
): number {
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) for (let i = 0; i < count; i++) if (evaluate(i)) sink.n++;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Evaluations per second of each contender (median of ROUNDS rounds of about ROUND_MS each),
 * after a warm-up of WARMUP_MS each. Results feed a checksum so no call can be optimized away.
 */
export function compareThroughput(
  count: number,
  contenders: Readonly<Record<string, Evaluate>>,
): Record<string, number> {
  const sink = { n: 0 };
  const names = Object.keys(contenders);
  const passes: Record<string, number> = {};
  for (const name of names) {
    let warm = 0;
    let passMs = 0;
    while (warm < WARMUP_MS) {
      passMs = timePasses(count, 1, contenders[name]!, sink);
      warm += passMs;
    }
    passes[name] = Math.max(1, Math.round(ROUND_MS / passMs));
  }
  const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      const ms = timePasses(count, passes[name]!, contenders[name]!, sink);
      rates[name]!.push((passes[name]! * count * 1000) / ms);
    }
  }
  if (sink.n < 0) console.log(sink.n); // keeps the checksum observable
  return Object.fromEntries(
    names.map((n) => [n, rates[n]!.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!]),
  );
}
