/**
 * True when a unit at `position` is inside a rollout of `percent` (0–100): raising the percent
 * only ever adds units, lowering it only removes them.
 */
export function inRollout(position: number, percent: number): boolean {
  // At 100% everyone is in, whatever rounding did to the position.
  return percent >= 100 || position < percent / 100;
}

/**
 * A unit's rollout position in winner-first order: `(variantPosition - winnerStart) mod 1`.
 * The units whose variant position fell in the winner's range `[winnerStart, winnerEnd)` come
 * first, so a rollout of the winner reaches them before anyone else.
 */
export function winnerFirstPosition(variantPosition: number, winnerStart: number): number {
  const d = variantPosition - winnerStart;
  return d < 0 ? d + 1 : d;
}
