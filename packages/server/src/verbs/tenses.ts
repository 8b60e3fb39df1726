/**
 * Every write verb with the names of its hooks: the after-hook (and domain event) takes the
 * past tense (`concluded`), the before-hook the progressive (`concluding`).
 */
export const TENSES = {
  create: { past: 'created', progressive: 'creating' },
  update: { past: 'updated', progressive: 'updating' },
  delete: { past: 'deleted', progressive: 'deleting' },
  start: { past: 'started', progressive: 'starting' },
  pause: { past: 'paused', progressive: 'pausing' },
  resume: { past: 'resumed', progressive: 'resuming' },
  stop: { past: 'stopped', progressive: 'stopping' },
  conclude: { past: 'concluded', progressive: 'concluding' },
  archive: { past: 'archived', progressive: 'archiving' },
  enable: { past: 'enabled', progressive: 'enabling' },
  disable: { past: 'disabled', progressive: 'disabling' },
  rollout: { past: 'rolledout', progressive: 'rollingout' },
  rollback: { past: 'rolledback', progressive: 'rollingback' },
  cancel: { past: 'cancelled', progressive: 'cancelling' },
  define: { past: 'defined', progressive: 'defining' },
  record: { past: 'recorded', progressive: 'recording' },
  trigger: { past: 'triggered', progressive: 'triggering' },
} as const;

/** A verb that changes state, emits a domain event and has hooks. */
export type WriteVerbName = keyof typeof TENSES;

/** True when `name` is a write verb. */
export function isWriteVerb(name: string): name is WriteVerbName {
  return Object.hasOwn(TENSES, name);
}

/** The domain event of a verb: `experiment.concluded` for Experiment.conclude. */
export function eventTypeOf(facade: string, verb: WriteVerbName): string {
  return `${facade.toLowerCase()}.${TENSES[verb].past}`;
}
