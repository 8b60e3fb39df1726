import type * as z from 'zod';
import { eventVerbs } from '../entities/event';
import { experimentVerbs } from '../entities/experiment';
import { featureFlagVerbs } from '../entities/feature-flag';
import { metricVerbs } from '../entities/metric';
import { segmentVerbs } from '../entities/segment';
import { webhookVerbs } from '../entities/webhook';
import { workflowVerbs } from '../entities/workflow';
import type { WorkflowVerbs } from '../entities/workflow';
import type { Verb } from './verb';

/** Every verb of every entity, by facade (`Experiment`) and verb (`conclude`). */
export function buildVerbs() {
  const verbs = {
    Experiment: experimentVerbs,
    FeatureFlag: featureFlagVerbs,
    Segment: segmentVerbs,
    Event: eventVerbs,
    Metric: metricVerbs,
    Webhook: webhookVerbs,
    // Workflow steps name other verbs, so their schema needs this very table.
    Workflow: undefined as unknown as WorkflowVerbs,
  };
  verbs.Workflow = workflowVerbs((action) => {
    const verb = findVerb(verbs, action);
    return verb?.kind === 'write' ? (verb.input as z.ZodType) : undefined;
  });
  return verbs;
}

/** The verb table. */
export type Verbs = ReturnType<typeof buildVerbs>;

/** The names of the facades. */
export type FacadeName = keyof Verbs;

/** Looks up `Facade.verb` (own properties only). */
export function findVerb(verbs: Verbs, action: string): Verb | undefined {
  const [facade, verb, extra] = action.split('.');
  if (facade === undefined || verb === undefined || extra !== undefined) return undefined;
  if (!Object.hasOwn(verbs, facade)) return undefined;
  const table = verbs[facade as FacadeName] as Record<string, Verb>;
  return Object.hasOwn(table, verb) ? table[verb] : undefined;
}
