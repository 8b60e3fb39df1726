import { EXPOSURE_EVENT, FLAG_EXPOSURE_EVENT, MAX_BATCH_EVENTS } from '@switchyard/core';
import { expect } from 'vitest';
import type { TestServer } from '../../support/server';

/** An event as SDKs send it. */
export interface SdkEvent {
  id: string;
  type: string;
  unit: string;
  properties?: Record<string, string | number>;
}

/** One arm of made-up traffic: `units` exposed units of which the first `converted` convert. */
export interface Arm {
  variant: string;
  units: number;
  converted: number;
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${(sequence++).toString(36)}`;

/**
 * Units of each arm in the order real traffic mixes them: each arm's units spread evenly over
 * the stream, so any prefix of it (a batch, a commit) has about the arms' proportions.
 */
function interleaved(arms: readonly Arm[], unitPrefix: string) {
  const units = arms.flatMap((arm) =>
    Array.from({ length: arm.units }, (_, i) => ({
      arm,
      unit: `${unitPrefix}-${arm.variant}-${i}`,
      converts: i < arm.converted,
      at: (i + 0.5) / arm.units,
    })),
  );
  return units.sort((a, b) => a.at - b.at);
}

/**
 * Exposures of `units` units to `variant` of `experiment`, and one `event` of each of the first
 * `converted` units of each arm: exact counts, so the statistics are known in advance.
 */
export function experimentTraffic(
  experiment: string,
  arms: readonly Arm[],
  event = 'onboarding.completed',
  unitPrefix = 'user',
): SdkEvent[] {
  return interleaved(arms, unitPrefix).flatMap(({ arm, unit, converts }) => [
    {
      id: nextId('x'),
      type: EXPOSURE_EVENT,
      unit,
      properties: { experiment, variant: arm.variant },
    },
    ...(converts ? [{ id: nextId('c'), type: event, unit }] : []),
  ]);
}

/** The same for a flag: a `$flag_exposure` of each unit with the variant it was served. */
export function flagTraffic(
  flag: string,
  arms: readonly Arm[],
  event = 'onboarding.completed',
  unitPrefix = 'visitor',
): SdkEvent[] {
  return interleaved(arms, unitPrefix).flatMap(({ arm, unit, converts }) => [
    {
      id: nextId('f'),
      type: FLAG_EXPOSURE_EVENT,
      unit,
      properties: { flag, variant: arm.variant },
    },
    ...(converts ? [{ id: nextId('c'), type: event, unit }] : []),
  ]);
}

/** Sends events through `POST /v1/events` with the server key, in full batches. */
export async function ingest(t: TestServer, events: readonly SdkEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += MAX_BATCH_EVENTS) {
    const batch = events.slice(i, i + MAX_BATCH_EVENTS);
    const answer = await t.api('POST', '/v1/events', { events: batch }, t.key('server'));
    expect(answer.status).toBe(200);
    expect(answer.body.rejected).toEqual([]);
  }
}
