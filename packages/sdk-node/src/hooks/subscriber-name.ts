import { hash } from '@switchyard/core';

const MAX_NAME = 200;

/**
 * The subscriber name a process uses when it gives none: its hook set and environment, so a
 * restarted process (and each replica of it) resumes the same progress, while a process with
 * other hooks keeps its own. Adding a hook therefore starts a new name: give `hooks.name` to keep
 * progress across such changes.
 */
export function defaultSubscriberName(events: readonly string[], environment?: string): string {
  const name = `sdk-node:${environment ?? '*'}:${[...events].sort().join(',')}`;
  if (name.length <= MAX_NAME) return name;
  return `sdk-node:${environment ?? '*'}:${hash(name).toString(36)}-${events.length}`;
}
