/**
 * Holm's step-down adjustment of a family of p-values: sorted ascending, the i-th smallest
 * (0-based) becomes max over j ≤ i of min(1, (m - j) p₍ⱼ₎). Rejecting adjusted p < α controls the
 * family-wise error rate at α. A null p-value (a comparison that could not be tested) still
 * counts in m, the conservative choice, and stays null.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const m = pValues.length;
  const order = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((x, y) => x.p - y.p);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
