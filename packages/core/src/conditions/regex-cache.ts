import { boundedCache } from './bounded-cache';

const regexes = boundedCache(512, (key: string): RegExp | null => {
  try {
    const slash = key.indexOf('/');
    return new RegExp(key.slice(slash + 1), key.slice(0, slash));
  } catch {
    return null;
  }
});

/**
 * Compiles `pattern` with `flags`, or returns null for an invalid pattern or flag: only the
 * MongoDB `$options` JavaScript also has (`i`, `m`, `s`, plus `u`). Results (failures too) are
 * cached by pattern and flags. `g` and `y` are never used: they would make `test` stateful
 * through `lastIndex`.
 */
export const compileRegex = (pattern: string, flags: string): RegExp | null =>
  /^[imsu]*$/.test(flags) ? regexes([...new Set(flags)].sort().join('') + '/' + pattern) : null;
