import { BoundedCache } from './bounded-cache';

/** A version split into its numeric core and pre-release identifiers (build metadata dropped). */
export interface ParsedVersion {
  /** Numeric parts without leading zeros, as digit strings so no size limit applies. */
  readonly core: readonly string[];
  readonly prerelease: readonly string[];
}

const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const VERSION = new RegExp(`^[vV]?(\\d+(?:\\.\\d+)*)(?:-(${IDENTIFIERS}))?(?:\\+${IDENTIFIERS})?$`);
const DIGITS = /^\d+$/;
const MAX_VERSION_LENGTH = 256;

const parsed = new BoundedCache<string, ParsedVersion | null>(1024);

function withoutLeadingZeros(digits: string): string {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++;
  return start === 0 ? digits : digits.slice(start);
}

/**
 * Parses a semantic version leniently: a leading `v` is allowed, missing minor and patch
 * parts are zero (`2.3` = `2.3.0`), more numeric parts are compared too (`1.2.3.4`), and
 * build metadata (`+build.5`) is ignored. Returns null for anything else.
 */
export function parseVersion(text: unknown): ParsedVersion | null {
  if (typeof text !== 'string' || text.length > MAX_VERSION_LENGTH) return null;
  return parsed.getOrCompute(text, () => {
    const m = VERSION.exec(text);
    if (m === null) return null;
    return {
      core: (m[1] as string).split('.').map(withoutLeadingZeros),
      prerelease: m[2] === undefined ? [] : m[2].split('.'),
    };
  });
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// SemVer 2.0 §11: numeric identifiers compare as numbers and sort before alphanumeric ones,
// which compare in ASCII order.
function compareIdentifiers(a: string, b: string): number {
  const aNumeric = DIGITS.test(a);
  const bNumeric = DIGITS.test(b);
  if (aNumeric && bNumeric) return compareDigits(withoutLeadingZeros(a), withoutLeadingZeros(b));
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two parsed versions by SemVer 2.0 precedence: -1, 0 or 1. */
export function compareParsedVersions(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.core.length, b.core.length);
  for (let i = 0; i < length; i++) {
    const order = compareDigits(a.core[i] ?? '0', b.core[i] ?? '0');
    if (order !== 0) return order;
  }
  // A release outranks any of its pre-releases: 1.0.0-rc.1 < 1.0.0.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < shared; i++) {
    const order = compareIdentifiers(a.prerelease[i] as string, b.prerelease[i] as string);
    if (order !== 0) return order;
  }
  return a.prerelease.length === b.prerelease.length
    ? 0
    : a.prerelease.length < b.prerelease.length
      ? -1
      : 1;
}

/**
 * Compares two version strings by SemVer 2.0 precedence (see {@link parseVersion} for what
 * is accepted): -1, 0 or 1, or null when either is not a version.
 */
export function compareVersions(a: string, b: string): number | null {
  const left = parseVersion(a);
  const right = parseVersion(b);
  return left === null || right === null ? null : compareParsedVersions(left, right);
}
