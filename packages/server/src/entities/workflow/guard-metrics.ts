import type { Issue } from '../../errors';
import { ValidationError } from '../../errors';
import type { StoreReader } from '../../store/store';
import type { WorkflowStep } from './schema';

/**
 * Refuses steps whose guard names a metric that is not defined (`Metric.define`) in the
 * environment: a guard must know the metric's event, kind and direction to compare anything.
 */
export async function assertGuardMetrics(
  reader: StoreReader,
  environment: string,
  steps: readonly WorkflowStep[],
): Promise<void> {
  const issues: Issue[] = [];
  for (const [i, step] of steps.entries()) {
    const metric = step.guard?.metric;
    if (metric === undefined) continue;
    if (!(await reader.getEntityByKey('Metric', environment, metric))) {
      issues.push({
        path: ['steps', i, 'guard', 'metric'],
        message: `no Metric '${metric}' in environment '${environment}': define it first (Metric.define)`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues[0]!.message, issues);
}
