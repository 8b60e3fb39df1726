import { boundedCache } from './bounded-cache';
import { naturalOrder } from './compare-values';

/** A version split into its numeric core and pre-release identifiers (build metadata dropped). */
export interface ParsedVersion {
  /** Numeric parts without leading zeros, as digit strings so no size limit applies. */
  readonly core: readonly string[];
  readonly prerelease: readonly string[];
}

const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const VERSION = RegExp(`^[vV]?(\\d+(?:\\.\\d+)*)(?:-(${IDENTIFIERS}))?(?:\\+${IDENTIFIERS})?$`);

const withoutLeadingZeros = (digits: string): string => digits.replace(/^0+(?=.)/, '');

/**
 * Parses a semantic version leniently: a leading `v` is allowed, missing minor and patch
 * parts are zero (`2.3` = `2.3.0`), more numeric parts are compared too (`1.2.3.4`), and
 * build metadata (`+build.5`) is ignored. Returns null for anything else.
 */
export function parseVersion(text: unknown): ParsedVersion | null {
  const m = typeof text === 'string' && text.length <= 256 && VERSION.exec(text);
  return m
    ? { core: m[1]!.split('.').map(withoutLeadingZeros), prerelease: m[2]?.split('.') ?? [] }
    : null;
}

// Digits prefixed with a char for their count, above the markers 2–4 below: digit strings
// without leading zeros then order as the numbers they spell, whatever their size.
const sized = (digits: string): string => String.fromCharCode(digits.length + 5) + digits;

/**
 * A version's SemVer 2.0 precedence as a string: two versions order as their keys do (in
 * code-unit order). The core without trailing zero parts (`2.3` = `2.3.0`), each part sized;
 * then `\x04` for a release, which outranks its pre-releases, else the pre-release
 * identifiers: numeric ones (`\x02`, sized) before alphanumeric ones (`\x03`, ASCII order), a
 * shorter list first. Every marker sorts below the chars of a part, so a shorter core is lower.
 */
const keys = boundedCache(1024, (text: string): string | null => {
  const v = parseVersion(text);
  if (!v) return null;
  const core = [...v.core];
  while (core.at(-1) === '0') core.pop();
  return (
    core.map(sized).join('') +
    (v.prerelease.length
      ? v.prerelease
          .map((id) => (/^\d+$/.test(id) ? '\x02' + sized(withoutLeadingZeros(id)) : '\x03' + id))
          .join('')
      : '\x04')
  );
});

/** The precedence key of a version string (see {@link keys}), or null for anything else. */
export const versionKey = (value: unknown): string | null =>
  typeof value === 'string' ? keys(value) : null;

/**
 * Compares two version strings by SemVer 2.0 precedence (see {@link parseVersion} for what
 * is accepted): -1, 0 or 1, or null when either is not a version.
 */
export function compareVersions(a: string, b: string): number | null {
  const left = versionKey(a);
  const right = versionKey(b);
  return left === null || right === null ? null : naturalOrder(left, right);
}
