import { expect } from 'vitest';

/** Asserts |actual - expected| ≤ tolerance · |expected| (relative error), with a readable message. */
export function expectRelative(actual: number, expected: number, tolerance = 1e-6): void {
  if (expected === 0) {
    expect(actual).toBe(0);
    return;
  }
  const error = Math.abs(actual - expected) / Math.abs(expected);
  expect(
    error,
    `${actual} vs ${expected} (relative error ${error.toExponential(2)})`,
  ).toBeLessThanOrEqual(tolerance);
}
