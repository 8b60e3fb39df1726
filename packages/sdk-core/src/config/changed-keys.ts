import type { ConfigSnapshot } from '@switchyard/core/schema';
import { jsonEqual } from './json-equal';

/** Keys of the config entities that changed between two versions. */
export interface ChangedKeys {
  flags: string[];
  experiments: string[];
  segments: string[];
}

type Kind = keyof ChangedKeys;

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

/**
 * Widens directly changed keys (the sets, which it fills) to their dependents; see
 * {@link changedKeys}. An entity depends on a key when its JSON mentions that key as a string
 * (a rule's `experiment`, a `$inSegment` operand, a prerequisite's `flag`): a mention that is
 * something else (a variant or attribute value spelled like a key) only adds a key that did not
 * change, which costs a re-read, never a missed update.
 */
export function withDependents(
  snapshot: ConfigSnapshot,
  flags: Set<string>,
  experiments: Set<string>,
  segments: Set<string>,
): ChangedKeys {
  const kinds: Array<[Kind, Set<string>]> = [
    ['flags', flags],
    ['experiments', experiments],
    ['segments', segments],
  ];
  // Segments may name segments, flags may name flags: grow until nothing more is affected.
  for (let grew = true; grew;) {
    grew = false;
    const changed = new Set(kinds.flatMap(([, keys]) => [...keys].map((k) => JSON.stringify(k))));
    for (const [kind, keys] of kinds)
      for (const [key, entity] of Object.entries(snapshot[kind]))
        if (
          !keys.has(key) &&
          // Every JSON string in the entity, quotes and escapes included, as keys are in `changed`.
          JSON.stringify(entity)
            .match(/"(\\.|[^"\\])*"/g)
            ?.some((text) => changed.has(text))
        )
          grew = !!keys.add(key);
  }
  return { flags: [...flags], experiments: [...experiments], segments: [...segments] };
}
