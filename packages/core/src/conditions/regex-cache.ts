import { BoundedCache } from './bounded-cache';

/** The `$options` flags we accept: the MongoDB ones JavaScript also has (plus `u`). */
const ALLOWED_FLAGS = /^[imsu]*$/;

const regexes = new BoundedCache<string, RegExp | null>(512);

/**
 * Compiles `pattern` with `flags`, or returns null for an invalid pattern or flag.
 * Results (failures too) are cached by pattern and flags. `g` and `y` are never used:
 * they would make `test` stateful through `lastIndex`.
 */
export function compileRegex(pattern: string, flags: string): RegExp | null {
  if (!ALLOWED_FLAGS.test(flags)) return null;
  const canonical = [...new Set(flags)].sort().join('');
  return regexes.getOrCompute(`${canonical}/${pattern}`, () => {
    try {
      return new RegExp(pattern, canonical);
    } catch {
      return null;
    }
  });
}
