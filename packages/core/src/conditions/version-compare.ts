import { boundedCache } from './bounded-cache';

/** A version split into its numeric core and pre-release identifiers (build metadata dropped). */
export interface ParsedVersion {
  /** Numeric parts without leading zeros, as digit strings so no size limit applies. */
  readonly core: readonly string[];
  readonly prerelease: readonly string[];
}

const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const VERSION = RegExp(`^[vV]?(\\d+(?:\\.\\d+)*)(?:-(${IDENTIFIERS}))?(?:\\+${IDENTIFIERS})?$`);

const withoutLeadingZeros = (digits: string): string => digits.replace(/^0+(?=.)/, '');

const parsed = boundedCache(1024, (text: string): ParsedVersion | null => {
  const m = VERSION.exec(text);
  return (
    m && { core: m[1]!.split('.').map(withoutLeadingZeros), prerelease: m[2]?.split('.') ?? [] }
  );
});

/**
 * Parses a semantic version leniently: a leading `v` is allowed, missing minor and patch
 * parts are zero (`2.3` = `2.3.0`), more numeric parts are compared too (`1.2.3.4`), and
 * build metadata (`+build.5`) is ignored. Returns null for anything else.
 */
export const parseVersion = (text: unknown): ParsedVersion | null =>
  typeof text === 'string' && text.length <= 256 ? parsed(text) : null;

const order = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders digit strings without leading zeros as the numbers they spell. */
const compareDigits = (a: string, b: string): number => order(a.length, b.length) || order(a, b);

// SemVer 2.0 §11: numeric identifiers compare as numbers and sort before alphanumeric ones,
// which compare in ASCII order.
function compareIdentifiers(a: string, b: string): number {
  const numeric = /^\d+$/;
  const aNumeric = numeric.test(a);
  const bNumeric = numeric.test(b);
  return aNumeric && bNumeric
    ? compareDigits(withoutLeadingZeros(a), withoutLeadingZeros(b))
    : order(+bNumeric, +aNumeric) || order(a, b);
}

/** Orders two parsed versions by SemVer 2.0 precedence: -1, 0 or 1. */
export function compareParsedVersions(a: ParsedVersion, b: ParsedVersion): number {
  let result = 0;
  for (let i = 0; !result && i < Math.max(a.core.length, b.core.length); i++)
    result = compareDigits(a.core[i] ?? '0', b.core[i] ?? '0');
  const x = a.prerelease;
  const y = b.prerelease;
  // A release outranks any of its pre-releases: 1.0.0-rc.1 < 1.0.0.
  if (result || !x.length || !y.length) return result || order(+!x.length, +!y.length);
  for (let i = 0; !result && i < Math.min(x.length, y.length); i++)
    result = compareIdentifiers(x[i]!, y[i]!);
  return result || order(x.length, y.length);
}

/**
 * Compares two version strings by SemVer 2.0 precedence (see {@link parseVersion} for what
 * is accepted): -1, 0 or 1, or null when either is not a version.
 */
export function compareVersions(a: string, b: string): number | null {
  const left = parseVersion(a);
  const right = parseVersion(b);
  return left && right && compareParsedVersions(left, right);
}
