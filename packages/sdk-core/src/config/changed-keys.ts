import type { ConfigChange, ConfigSnapshot } from '@switchyard/core/schema';
import { jsonEqual } from './json-equal';

/** Keys of the config entities that changed between two versions. */
export interface ChangedKeys {
  flags: string[];
  experiments: string[];
  segments: string[];
}

/** The keys a delta touches, as sent. */
export function keysOfChanges(changes: readonly ConfigChange[]): ChangedKeys {
  const keys: ChangedKeys = { flags: [], experiments: [], segments: [] };
  for (const c of changes) {
    const list =
      c.kind === 'flag' ? keys.flags : c.kind === 'experiment' ? keys.experiments : keys.segments;
    if (!list.includes(c.key)) list.push(c.key);
  }
  return keys;
}

/** The keys whose entity differs between two snapshots (added, removed or changed). */
export function keysOfDifference(
  before: ConfigSnapshot | undefined,
  after: ConfigSnapshot,
): ChangedKeys {
  return {
    flags: differingKeys(before?.flags, after.flags),
    experiments: differingKeys(before?.experiments, after.experiments),
    segments: differingKeys(before?.segments, after.segments),
  };
}

function differingKeys(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...keys].filter((k) => !jsonEqual(before?.[k], after[k]));
}
