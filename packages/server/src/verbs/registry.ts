import type * as z from 'zod';
import { eventVerbs } from '../entities/event';
import { experimentVerbs } from '../entities/experiment';
import { featureFlagVerbs } from '../entities/feature-flag';
import { metricVerbs } from '../entities/metric';
import { segmentVerbs } from '../entities/segment';
import { webhookVerbs } from '../entities/webhook';
import { workflowVerbs } from '../entities/workflow';
import type { WorkflowVerbs } from '../entities/workflow';
import { eventTypeOf, isWriteVerb } from './tenses';
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
  let events: ReadonlySet<string> | undefined;
  verbs.Workflow = workflowVerbs(
    (action) => {
      const verb = findVerb(verbs, action);
      return verb?.kind === 'write' ? (verb.input as z.ZodType) : undefined;
    },
    (type) => (events ??= domainEventTypes(verbs)).has(type),
  );
  return verbs;
}

/** The domain event type of every write verb: `experiment.concluded`, `workflow.triggered`, … */
export function domainEventTypes(verbs: Verbs): Set<string> {
  const types = new Set<string>();
  for (const [facade, table] of Object.entries(verbs) as [string, Record<string, Verb>][]) {
    for (const [name, verb] of Object.entries(table)) {
      if (verb.kind === 'write' && isWriteVerb(name)) types.add(eventTypeOf(facade, name));
    }
  }
  return types;
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
