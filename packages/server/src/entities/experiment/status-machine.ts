import type { ExperimentStatus } from '@switchyard/core/schema';
import { ConflictError } from '../../errors';

/**
 * The experiment lifecycle: Draft → Running ⇄ Paused → Concluded or Stopped → Archived.
 * A Draft may be archived too (an experiment that never ran).
 */
export const TRANSITIONS = {
  start: { from: ['Draft'], to: 'Running' },
  pause: { from: ['Running'], to: 'Paused' },
  resume: { from: ['Paused'], to: 'Running' },
  conclude: { from: ['Running', 'Paused'], to: 'Concluded' },
  stop: { from: ['Running', 'Paused'], to: 'Stopped' },
  archive: { from: ['Draft', 'Concluded', 'Stopped'], to: 'Archived' },
} as const satisfies Record<string, { from: readonly ExperimentStatus[]; to: ExperimentStatus }>;

/** A verb that moves an experiment along its lifecycle. */
export type TransitionVerb = keyof typeof TRANSITIONS;

/** The status `verb` leads to from `current`; a 409 naming the current status when it cannot. */
export function nextStatus(
  verb: TransitionVerb,
  current: ExperimentStatus,
  id: string,
): ExperimentStatus {
  const { from, to } = TRANSITIONS[verb];
  if (!(from as readonly ExperimentStatus[]).includes(current)) {
    throw new ConflictError(
      `cannot ${verb} ${id}: it is ${current}, and ${verb} needs ${from.join(' or ')}`,
      'illegal_transition',
    );
  }
  return to;
}
