import type { TimeZone } from './time-zone';
import { firstInstantAtOrAfterWall } from './time-zone';

/** A step's delay as written: `0`, `30m`, `12h`, `3d`, `2w`. */
export const DELAY_PATTERN = /^(?:0|(\d{1,4})([wdhm]))$/;

const UNIT_MINUTES = { m: 1, h: 60, d: 1440, w: 10_080 } as const;

/** A parsed delay. */
export interface Delay {
  amount: number;
  unit: keyof typeof UNIT_MINUTES;
}

/** Parses a delay; undefined (no delay) is `0`. Throws on text DELAY_PATTERN refuses. */
export function parseDelay(text: string | undefined): Delay {
  if (text === undefined || text === '0') return { amount: 0, unit: 'm' };
  const match = DELAY_PATTERN.exec(text);
  if (!match) throw new RangeError(`'${text}' is not a delay (0, 30m, 12h, 3d, 2w)`);
  return { amount: Number(match[1]), unit: match[2] as Delay['unit'] };
}

/** The delay's nominal length in minutes (a day is 1,440 of them), to compare delays. */
export function delayMinutes(delay: Delay): number {
  return delay.amount * UNIT_MINUTES[delay.unit];
}

/**
 * `ms` plus `delay`. Days and weeks are calendar days in `zone`: `1w` from Monday 09:00 is
 * the next Monday 09:00 on the wall clock even across a daylight-saving change (or the first
 * instant after, if that wall time is skipped). Hours and minutes are elapsed time.
 */
export function addDelay(ms: number, delay: Delay, zone: TimeZone): number {
  if (delay.unit === 'm' || delay.unit === 'h') return ms + delayMinutes(delay) * 60_000;
  const days = delay.unit === 'w' ? delay.amount * 7 : delay.amount;
  const naive = ms + zone.offsetAt(ms) + days * 86_400_000;
  return firstInstantAtOrAfterWall(naive, zone);
}
