import type { ConfigSnapshot } from '@switchyard/core/schema';
import { jsonEqual } from './json-equal';

/** Keys of the config entities that changed between two versions. */
export interface ChangedKeys {
  flags: string[];
  experiments: string[];
  segments: string[];
}

type Kind = keyof ChangedKeys;

/** True when a condition names one of `segments` with `$inSegment` or `$notInSegment`. */
function namesAny(condition: unknown, segments: ReadonlySet<string>): boolean {
  return (
    segments.size > 0 &&
    typeof condition === 'object' &&
    condition !== null &&
    Object.entries(condition).some(([key, value]) =>
      /^\$(inS|notInS)egment$/.test(key)
        ? [value].flat().some((name) => segments.has(name))
        : namesAny(value, segments),
    )
  );
}

/**
 * The keys whose evaluation may differ between two snapshots: the entities that differ (added,
 * removed or changed), widened to everything they can change — a flag that delegates to a
 * changed experiment, names a changed prerequisite flag or uses a changed segment (in its rules
 * or, through an experiment, in its audience), transitively. React hooks use it to re-render only
 * the components reading an affected key.
 */
export function changedKeys(
  before: ConfigSnapshot | undefined,
  after: ConfigSnapshot,
): ChangedKeys {
  const kinds: Kind[] = ['flags', 'experiments', 'segments'];
  const [flags, experiments, segments] = kinds.map((kind) => {
    const a: Record<string, unknown> = after[kind];
    const b: Record<string, unknown> = before?.[kind] ?? {};
    return new Set([...Object.keys(b), ...Object.keys(a)].filter((k) => !jsonEqual(b[k], a[k])));
  }) as [Set<string>, Set<string>, Set<string>];
  return withDependents(after, flags, experiments, segments);
}

/** Widens directly changed keys (the sets, which it fills) to their dependents; see {@link changedKeys}. */
export function withDependents(
  snapshot: ConfigSnapshot,
  flags: Set<string>,
  experiments: Set<string>,
  segments: Set<string>,
): ChangedKeys {
  for (let grew = true; grew;) {
    grew = false;
    const add = (keys: Set<string>, key: string, affected: unknown) => {
      if (affected && !keys.has(key)) {
        keys.add(key);
        grew = true;
      }
    };
    // Segments may name segments, flags may name flags: grow until nothing more is affected.
    for (const [key, condition] of Object.entries(snapshot.segments))
      add(segments, key, namesAny(condition, segments));
    for (const [key, e] of Object.entries(snapshot.experiments))
      add(experiments, key, namesAny(e.audience, segments));
    for (const [key, f] of Object.entries(snapshot.flags)) {
      add(
        flags,
        key,
        f.rules?.some(
          (r) =>
            (r.experiment !== undefined && experiments.has(r.experiment)) ||
            namesAny(r.condition, segments),
        ) || f.prerequisites?.some((p) => flags.has(p.flag)),
      );
    }
  }
  return { flags: [...flags], experiments: [...experiments], segments: [...segments] };
}
