import { createServer } from '../../../src/server';
import type { ServerOptions, SwitchyardServer } from '../../../src/server';
import type { LogEntry } from '../../../src/store/records';
import { TestClock } from '../../support/switchyard';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** The seed's schedule: Mondays at 09:00. */
export const MONDAYS_AT_9 = '0 9 * * MON';

/** A server on a manual clock (Wednesday 2026-03-04 14:00 UTC unless told otherwise). */
export async function clockedServer(
  options: ServerOptions & { at?: string } = {},
): Promise<{ server: SwitchyardServer; clock: TestClock }> {
  const { at = '2026-03-04T14:00:00.000Z', ...rest } = options;
  const clock = rest.clock instanceof TestClock ? rest.clock : new TestClock(Date.parse(at));
  const server = await createServer({
    db: ':memory:',
    logger: false,
    webhooks: false,
    ...rest,
    clock,
  });
  return { server, clock };
}

/** The seed's flag, enabled at 0%. */
export async function seedFlag(server: SwitchyardServer, key = 'onboarding-v2'): Promise<string> {
  const flag = await server.$.FeatureFlag.create({ key, variant: 'simplified', rolloutPercent: 0 });
  await server.$.FeatureFlag.enable({ id: flag.$id });
  return flag.$id;
}

/** The seed's rollout steps: 10% at once, 50% a week later, 100% two weeks later. */
export function seedSteps(flagId: string) {
  return [
    { action: 'FeatureFlag.rollout', id: flagId, percent: 10, delay: '0w' },
    { action: 'FeatureFlag.rollout', id: flagId, percent: 50, delay: '1w' },
    { action: 'FeatureFlag.rollout', id: flagId, percent: 100, delay: '2w' },
  ];
}

/** The seed's workflow over `flagId`. */
export function seedWorkflow(server: SwitchyardServer, flagId: string, extra: object = {}) {
  return server.$.Workflow.create({
    name: 'Rollout: onboarding-v2',
    trigger: { type: 'schedule', cron: MONDAYS_AT_9 },
    steps: seedSteps(flagId),
    ...extra,
  });
}

/** The whole domain log. */
export function domainLog(server: SwitchyardServer): Promise<LogEntry[]> {
  return server.store.read((r) => r.readLog({ limit: 10_000 }));
}

/** The log rows a workflow's steps wrote (its verbs' events and its own), as [type, payload]. */
export async function workflowTrail(server: SwitchyardServer, workflowId: string) {
  return (await domainLog(server))
    .filter(
      (e) =>
        e.actor === `workflow:${workflowId}` ||
        (e.entityId === workflowId && e.actor === 'scheduler'),
    )
    .map((e) => [e.type, e.payload] as const);
}

/** The flag's rollout percent now. */
export async function rolloutOf(
  server: SwitchyardServer,
  flagId: string,
): Promise<number | undefined> {
  return (await server.$.FeatureFlag.get({ id: flagId })).rolloutPercent;
}
