import type { Workflow } from '../entities/workflow/schema';
import type { StoreReader } from '../store/store';
import { nextPendingStep } from './step-runs';

/** Names one step of one workflow. */
export interface StepTarget {
  environment: string;
  workflowId: string;
  step: number;
}

/** The next step of an Active workflow, with when it is due. */
export interface ScheduledStep extends StepTarget {
  dueMs: number;
  workflow: Workflow;
}

/** The key of a step in maps: `development/workflow_x/1`. */
export function stepKey(target: StepTarget): string {
  return `${target.environment}/${target.workflowId}/${target.step}`;
}

/**
 * The next step of every Active workflow, in every environment, earliest first (a Waiting one has
 * no steps to run yet). Only the first pending step of a workflow counts: its steps run in order.
 */
export async function scheduledSteps(reader: StoreReader): Promise<ScheduledStep[]> {
  const found: ScheduledStep[] = [];
  for (const environment of await reader.listEnvironments()) {
    for (const record of await reader.listEntities('Workflow', environment)) {
      const workflow = record.data as Workflow;
      if (workflow.status !== 'Active' || !workflow.runs) continue;
      const step = nextPendingStep(workflow.runs);
      if (step === undefined) continue;
      const dueMs = Date.parse(workflow.runs[step]!.dueAt);
      found.push({ environment, workflowId: workflow.$id, step, dueMs, workflow });
    }
  }
  return found.sort((a, b) => a.dueMs - b.dueMs || a.workflowId.localeCompare(b.workflowId));
}
