import type { ConfigSnapshot } from '@switchyard/core/schema';

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
  const differing = (kind: Kind) => {
    const a: Record<string, unknown> = after[kind];
    const b: Record<string, unknown> = before?.[kind] ?? {};
    // Equal as sent: the same object (a delta shares what it did not change), or the same JSON.
    // Configs come from one serializer, so equal entities keep their key order; should an order
    // differ, a change is reported where there is none: a re-read, never a missed update.
    return new Set(
      Object.keys({ ...b, ...a }).filter(
        (k) => b[k] !== a[k] && JSON.stringify(b[k]) !== JSON.stringify(a[k]),
      ),
    );
  };
  return withDependents(after, differing('flags'), differing('experiments'), differing('segments'));
}

/**
 * Every JSON string in an entity's JSON, quotes and escapes included, by entity. Entities are
 * never edited once received (a new version shares those it did not change): each is read once,
 * not once per change.
 */
const stringsOf = new WeakMap<object, Set<string>>();

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
  const sets: Record<Kind, Set<string>> = { flags, experiments, segments };
  // Segments may name segments, flags may name flags: grow until nothing more is affected.
  for (let grew: unknown = true; grew;) {
    grew = false;
    // Each changed key as it appears in JSON (quoted and escaped), once per pass.
    const changed = [...flags, ...experiments, ...segments].map((k) => JSON.stringify(k));
    for (const kind in sets)
      for (const [key, entity] of Object.entries<object>(snapshot[kind as Kind]))
        if (!sets[kind as Kind].has(key)) {
          let strings = stringsOf.get(entity);
          if (!strings)
            stringsOf.set(
              entity,
              (strings = new Set(JSON.stringify(entity).match(/"(\\.|[^"\\])*"/g))),
            );
          if (changed.some((k) => strings.has(k))) grew = sets[kind as Kind].add(key); // a Set: truthy
        }
  }
  return { flags: [...flags], experiments: [...experiments], segments: [...segments] };
}
