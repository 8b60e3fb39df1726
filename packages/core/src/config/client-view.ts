import type { Condition } from '../schema/condition';
import type { ConfigSnapshot, FlagConfig } from '../schema/config';
import { setOwnEntry } from './own-entry';

/**
 * The config a client (browser) key may see: without `serverOnly` flags, and with only the
 * segments that its flags and experiments use (a segment naming people must not reach
 * browsers because a server-only flag targets it). A client flag whose prerequisite is server-only
 * stays: the browser finds no such prerequisite and serves it as disabled (its off variant,
 * errorCode PREREQUISITE_FAILED), which reveals nothing. Pure; the snapshot is not changed.
 */
export function clientView(snapshot: ConfigSnapshot): ConfigSnapshot {
  const flags: Record<string, FlagConfig> = {};
  for (const [key, flag] of Object.entries(snapshot.flags)) {
    if (flag.serverOnly !== true) setOwnEntry(flags, key, flag);
  }
  const roots: unknown[] = [];
  for (const flag of Object.values(flags))
    for (const rule of flag.rules ?? []) roots.push(rule.condition);
  for (const experiment of Object.values(snapshot.experiments)) roots.push(experiment.audience);
  return { ...snapshot, flags, segments: reachableSegments(snapshot.segments, roots) };
}

/** The segments named by `$inSegment` or `$notInSegment` in `roots`, and in those, transitively. */
function reachableSegments(
  segments: Readonly<Record<string, Condition>>,
  roots: readonly unknown[],
): Record<string, Condition> {
  const kept: Record<string, Condition> = {};
  const pending = roots.slice();
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$inSegment' || key === '$notInSegment') {
        for (const name of Array.isArray(value) ? value : [value]) {
          if (
            typeof name === 'string' &&
            Object.hasOwn(segments, name) &&
            !Object.hasOwn(kept, name)
          ) {
            setOwnEntry(kept, name, segments[name]!);
            pending.push(segments[name]);
          }
        }
      } else {
        pending.push(value);
      }
    }
  }
  return kept;
}
