import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, evalCondition, parseVersion } from '../../src/conditions';

/** SemVer 2.0 precedence spelled out with BigInts, to check the compact ordering against. */
function referenceOrder(a: string, b: string): number | null {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return null;
  const sign = (d: bigint | number) => (d > 0 ? 1 : d < 0 ? -1 : 0);
  for (let i = 0; i < Math.max(x.core.length, y.core.length); i++) {
    const d = BigInt(x.core[i] ?? 0) - BigInt(y.core[i] ?? 0);
    if (d) return sign(d);
  }
  if (!x.prerelease.length || !y.prerelease.length)
    return sign(y.prerelease.length - x.prerelease.length);
  for (let i = 0; i < Math.min(x.prerelease.length, y.prerelease.length); i++) {
    const [p, q] = [x.prerelease[i]!, y.prerelease[i]!];
    const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    const d =
      pn && qn
        ? sign(BigInt(p) - BigInt(q))
        : pn !== qn
          ? pn
            ? -1
            : 1
          : p < q
            ? -1
            : p > q
              ? 1
              : 0;
    if (d) return d;
  }
  return sign(x.prerelease.length - y.prerelease.length);
}

describe('compareVersions', () => {
  it('orders by SemVer 2.0 precedence, pre-releases included', () => {
    // The chain of SemVer 2.0's §11 example, each lower than the next.
    const chain = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
      '10.0.0',
    ];
    for (let i = 0; i + 1 < chain.length; i++) {
      expect(compareVersions(chain[i]!, chain[i + 1]!)).toBe(-1);
      expect(compareVersions(chain[i + 1]!, chain[i]!)).toBe(1);
    }
  });

  it('tolerates a leading v, missing parts and build metadata', () => {
    expect(compareVersions('v2.3', '2.3.0')).toBe(0);
    expect(compareVersions('V2', '2.0.0')).toBe(0);
    expect(compareVersions('2.3.0+build.7', '2.3.0+other')).toBe(0);
    expect(compareVersions('2.3.0-rc.1+b', '2.3.0-rc.1')).toBe(0);
    expect(compareVersions('2.03.0', '2.3.0')).toBe(0);
    expect(compareVersions('1.2.3.4', '1.2.3')).toBe(1);
    expect(compareVersions('1.2.3.0', '1.2.3')).toBe(0);
  });

  it('compares huge numbers exactly, and numeric identifiers numerically', () => {
    expect(compareVersions('1.99999999999999999999', '1.99999999999999999998')).toBe(1);
    expect(compareVersions('1.0.0-2', '1.0.0-10')).toBe(-1);
    expect(compareVersions('1.0.0-10', '1.0.0-a')).toBe(-1);
    expect(compareVersions('1.0.0-B', '1.0.0-a')).toBe(-1);
  });

  it('agrees with SemVer 2.0 precedence spelled out, on generated versions', () => {
    const numeric = fc.oneof(
      fc.constantFrom('0', '00', '1', '01', '9', '10', '99999999999999999999'),
      fc.nat().map(String),
    );
    const alphanumeric = fc.oneof(
      fc.constantFrom('a', 'alpha', 'alphab', 'B', 'beta', '-', 'rc', '1a', 'x-y'),
      fc.stringMatching(/^[0-9A-Za-z-]{1,4}$/),
    );
    const version = fc
      .tuple(
        fc.constantFrom('', 'v'),
        fc.array(numeric, { minLength: 1, maxLength: 5 }),
        fc.array(fc.oneof(numeric, alphanumeric), { maxLength: 4 }),
        fc.array(alphanumeric, { maxLength: 2 }),
      )
      .map(
        ([v, core, pre, build]) =>
          v +
          core.join('.') +
          (pre.length ? '-' + pre.join('.') : '') +
          (build.length ? '+' + build.join('.') : ''),
      );
    fc.assert(
      fc.property(version, version, (a, b) => compareVersions(a, b) === referenceOrder(a, b)),
      { numRuns: 5000 },
    );
  });

  it('returns null for what is not a version', () => {
    for (const text of [
      '',
      'v',
      'abc',
      '1..2',
      '1.2.',
      '.1',
      '1.0.0-',
      '1.0.0+',
      '1.0.0-a..b',
      ' 1.0',
      '1.0 ',
      '1.x',
    ]) {
      expect(parseVersion(text)).toBeNull();
      expect(compareVersions(text, '1.0.0')).toBeNull();
    }
    expect(parseVersion('9'.repeat(300))).toBeNull();
  });
});

describe('$veq $vne $vgt $vgte $vlt $vlte', () => {
  it('compares the field with the operand as versions', () => {
    expect(evalCondition({ v: '2.3.1' }, { v: { $vgte: '2.3.0' } })).toBe(true);
    expect(evalCondition({ v: '2.10.0' }, { v: { $vgt: '2.9.0' } })).toBe(true);
    expect(evalCondition({ v: '2.3.0-beta' }, { v: { $vgte: '2.3.0' } })).toBe(false);
    expect(evalCondition({ v: '2.3.0-beta' }, { v: { $vlt: '2.3.0' } })).toBe(true);
    expect(evalCondition({ v: 'v2.3' }, { v: { $veq: '2.3.0' } })).toBe(true);
    expect(evalCondition({ v: '2.3.0' }, { v: { $vne: '2.3.1' } })).toBe(true);
    expect(evalCondition({ v: '2.3.0' }, { v: { $vlte: '2.3' } })).toBe(true);
    expect(evalCondition({ v: '1.9' }, { v: { $vlte: '1.10' } })).toBe(true);
  });

  it('is false for a field that is not a version, $vne included', () => {
    for (const v of ['latest', 230, null, undefined, true, { major: 2 }]) {
      for (const op of ['$veq', '$vne', '$vgt', '$vgte', '$vlt', '$vlte']) {
        expect(evalCondition({ v }, { v: { [op]: '2.3.0' } })).toBe(false);
      }
    }
    expect(evalCondition({}, { v: { $vne: '1.0.0' } })).toBe(false);
  });

  it('tests each element of an array of versions', () => {
    expect(evalCondition({ v: ['1.0.0', '3.0.0'] }, { v: { $vgt: '2.0.0' } })).toBe(true);
    expect(evalCondition({ v: ['1.0.0', 'x'] }, { v: { $vgt: '2.0.0' } })).toBe(false);
  });

  it('makes the condition false for an operand that is not a version', () => {
    expect(evalCondition({ v: '1.0.0' }, { v: { $vgte: 'one' } })).toBe(false);
    expect(evalCondition({ v: '1.0.0' }, { v: { $vgte: 1 } })).toBe(false);
    expect(evalCondition({ v: '1.0.0' }, { v: { $not: { $vlt: 'x' } } })).toBe(false);
  });
});
