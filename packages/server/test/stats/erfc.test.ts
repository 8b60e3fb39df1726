import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf, erfc } from '../../src/stats/numerics';
import { erfcReference } from './support/big-decimal';
import { expectRelative } from './support/close-to';

describe('erfc', () => {
  it('matches the tabulated erfc(1) = 0.157299207050285', () => {
    expectRelative(erfc(1), 0.157299207050285, 1e-14);
  });

  it('agrees with a 220-digit series to 1e-15 relative at every x = k/32 in [0, 12]', () => {
    // Dyadic x are exact doubles, so any error is erfc's own (x = 0.98 would already carry a
    // representation error that erfc multiplies by 2x²).
    let worst = 0;
    for (let k = 0n; k <= 384n; k++) {
      const reference = erfcReference(k, 32n);
      worst = Math.max(worst, Math.abs(erfc(Number(k) / 32) - reference) / reference);
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('keeps relative accuracy down to 1e-30 and beyond (erfc(8.25) ≈ 1.5e-31)', () => {
    const reference = erfcReference(33n, 4n);
    expect(reference).toBeLessThan(1e-30);
    expectRelative(erfc(8.25), reference, 1e-15);
  });

  it('is 2 - erfc(-x) for negative x and erf is 1 - erfc', () => {
    expectRelative(erfc(-1), 2 - 0.157299207050285, 1e-15);
    expectRelative(erf(1), 1 - 0.157299207050285, 1e-15);
    expectRelative(erf(-0.3), -(1 - erfcReference(3n, 10n)), 1e-14);
  });

  it('underflows to 0, never NaN, far in the tail', () => {
    expect(erfc(30)).toBe(0);
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
  });

  it('decreases monotonically and stays in [0, 2]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, step) => {
          const value = erfc(x);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(2);
          expect(erfc(x + step)).toBeLessThanOrEqual(value);
        },
      ),
    );
  });
});
