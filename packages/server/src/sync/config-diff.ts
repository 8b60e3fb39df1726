import type { ConfigChange, ConfigSnapshot } from '@switchyard/core/schema';

type Kind = ConfigChange['kind'];

const RECORDS: readonly [Kind, 'flags' | 'experiments' | 'segments'][] = [
  ['segment', 'segments'],
  ['experiment', 'experiments'],
  ['flag', 'flags'],
];

/**
 * The changes that take `before` to `after`: an entry whose value differs is set, one that is
 * gone is removed (value null). Entries that are the same object are equal without a look (the
 * sync hub's snapshots share the entries that did not change); others are compared as JSON.
 * Segments come first, then experiments, then flags, so no change refers to one not yet applied.
 */
export function diffConfig(before: ConfigSnapshot, after: ConfigSnapshot): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const [kind, field] of RECORDS) {
    const old: Readonly<Record<string, unknown>> = before[field];
    const now: Readonly<Record<string, unknown>> = after[field];
    if (old === now) continue;
    for (const key of Object.keys(now)) {
      const value = now[key];
      const previous = Object.hasOwn(old, key) ? old[key] : undefined;
      if (value === previous) continue;
      if (previous === undefined || JSON.stringify(value) !== JSON.stringify(previous)) {
        changes.push({ kind, key, value } as ConfigChange);
      }
    }
    for (const key of Object.keys(old)) {
      if (!Object.hasOwn(now, key)) changes.push({ kind, key, value: null });
    }
  }
  return changes;
}
