import type { ConfigSnapshot } from '@switchyard/core/schema';
import type { ChangedKeys } from './changed-keys';

/**
 * Widens directly changed keys to everything whose evaluation they can change: a flag that
 * delegates to a changed experiment, names a changed prerequisite flag or uses a changed segment
 * (`$inSegment`, in rules or, through an experiment, in its audience), transitively. React hooks
 * use it to re-render only the components reading an affected key.
 */
export function withDependents(snapshot: ConfigSnapshot, direct: ChangedKeys): ChangedKeys {
  const segments = new Set(direct.segments);
  const experiments = new Set(direct.experiments);
  const flags = new Set(direct.flags);
  if (segments.size > 0) {
    // Segments may name segments, so grow the set until it stops growing.
    for (let grew = true; grew;) {
      grew = false;
      for (const [key, condition] of Object.entries(snapshot.segments)) {
        if (!segments.has(key) && namesAny(condition, segments)) {
          segments.add(key);
          grew = true;
        }
      }
    }
    for (const [key, e] of Object.entries(snapshot.experiments)) {
      if (e.audience !== undefined && namesAny(e.audience, segments)) experiments.add(key);
    }
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [key, flag] of Object.entries(snapshot.flags)) {
      if (flags.has(key)) continue;
      const affected =
        flag.rules.some(
          (r) =>
            (r.experiment !== undefined && experiments.has(r.experiment)) ||
            (r.condition !== undefined && segments.size > 0 && namesAny(r.condition, segments)),
        ) || (flag.prerequisites ?? []).some((p) => flags.has(p.flag));
      if (affected) {
        flags.add(key);
        grew = true;
      }
    }
  }
  return { flags: [...flags], experiments: [...experiments], segments: [...segments] };
}

/** True when a condition contains `$inSegment` naming one of `segments`. */
function namesAny(condition: unknown, segments: ReadonlySet<string>): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$inSegment') {
      const names = Array.isArray(value) ? value : [value];
      if (names.some((n) => typeof n === 'string' && segments.has(n))) return true;
    } else if (namesAny(value, segments)) {
      return true;
    }
  }
  return false;
}
