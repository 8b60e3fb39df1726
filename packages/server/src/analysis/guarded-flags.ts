import type { FeatureFlag } from '../entities/feature-flag/schema';
import type { Workflow, WorkflowStep } from '../entities/workflow/schema';

/** The action a guard may sit on: a guard watches the flag a rollout step moves. */
export const GUARDED_ACTION = 'FeatureFlag.rollout';

/**
 * Statuses of a workflow whose guards are watched (and whose flags' exposures are counted): the
 * live ones, as LIVE_WORKFLOW_STATUSES lists them. Spelled out, not imported: the workflow
 * schema imports this module, and the import would read the list before it is made.
 */
const WATCHED: ReadonlySet<string> = new Set(['Waiting', 'Active', 'Paused']);

/**
 * The id under which a guarded flag's exposures and metrics are counted: the flag's id and its
 * rollout percent, so each stage of a rollout (10%, then 50%, …) is compared on its own units.
 * A unit that was in "the rest" at 10% and got the flag at 50% is counted afresh at 50%.
 */
export function guardedFlagKey(flag: Pick<FeatureFlag, '$id' | 'rolloutPercent'>): string {
  return `${flag.$id}@${flag.rolloutPercent ?? 0}`;
}

/** The flag id in a `guardedFlagKey`, or undefined when `key` is not one. */
export function flagOfGuardedKey(key: string): string | undefined {
  const at = key.lastIndexOf('@');
  return at > 0 && key.startsWith('featureflag_') ? key.slice(0, at) : undefined;
}

/** A step with a guard, with its index. */
export interface GuardedStep {
  index: number;
  step: WorkflowStep & { guard: NonNullable<WorkflowStep['guard']> };
  /** The flag id or key the step names (`id` of FeatureFlag.rollout). */
  flag: string;
}

/** The guarded steps of a workflow. */
export function guardedSteps(workflow: Pick<Workflow, 'steps'>): GuardedStep[] {
  return workflow.steps.flatMap((step, index) =>
    step.guard !== undefined && step.action === GUARDED_ACTION && typeof step.id === 'string'
      ? [{ index, step: step as GuardedStep['step'], flag: step.id }]
      : [],
  );
}

/**
 * The metrics each flag's guards watch, by flag id, over the workflows that are Waiting, Active or
 * Paused (a waiting workflow's guards need the data from before its trigger).
 * A step names its flag by id or key.
 */
export function guardMetricsByFlag(
  workflows: readonly Workflow[],
  flags: readonly FeatureFlag[],
): Map<string, Set<string>> {
  const byIdOrKey = new Map<string, FeatureFlag>();
  for (const f of flags) {
    byIdOrKey.set(f.key, f);
    byIdOrKey.set(f.$id, f);
  }
  const out = new Map<string, Set<string>>();
  for (const workflow of workflows) {
    if (!WATCHED.has(workflow.status)) continue;
    for (const { step, flag } of guardedSteps(workflow)) {
      const found = byIdOrKey.get(flag);
      if (!found) continue;
      const metrics = out.get(found.$id) ?? new Set<string>();
      metrics.add(step.guard.metric);
      out.set(found.$id, metrics);
    }
  }
  return out;
}
