import type { TimeZone, WallTime } from '../time/time-zone';
import { instantsAtWall, timeZone, wallClock, wallOfNaive } from '../time/time-zone';
import type { CronExpression } from './cron-expression';
import { parseCron } from './parse-cron';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The Gregorian calendar repeats every 400 years: no tick in that span means none ever. */
const HORIZON_YEARS = 400;

/** True when the day (in the calendar of its own time zone) is one the expression fires on. */
function dayMatches(cron: CronExpression, wall: Pick<WallTime, 'month' | 'day' | 'weekday'>) {
  if (!cron.months.includes(wall.month)) return false;
  const dom = cron.daysOfMonth.includes(wall.day);
  const dow = cron.daysOfWeek.includes(wall.weekday);
  return cron.bothDaysMustMatch ? dom && dow : dom || dow;
}

/** True when the wall time (to the minute) is one the expression fires at. */
export function wallMatches(cron: CronExpression, wall: WallTime): boolean {
  return (
    cron.minutes.includes(wall.minute) && cron.hours.includes(wall.hour) && dayMatches(cron, wall)
  );
}

/**
 * True when `at` is a tick of `cron` in `zone` (default UTC): a whole minute at which the wall
 * clock there matches the expression.
 */
export function isTick(cron: CronExpression | string, at: Date, zone?: string): boolean {
  const ms = at.getTime();
  if (ms % MINUTE !== 0) return false;
  const expression = typeof cron === 'string' ? parseCron(cron) : cron;
  return wallMatches(expression, wallClock(ms, timeZone(zone)));
}

/**
 * The earliest tick at or after `start` on the local day that begins at `dayNaive` (wall time
 * as naive milliseconds), or undefined.
 */
function firstTickOfDay(cron: CronExpression, dayNaive: number, start: number, zone: TimeZone) {
  // Offsets from before the day starts to after it ends (zones span UTC−12 to UTC+14).
  const before = zone.offsetAt(dayNaive - 14 * HOUR);
  const after = zone.offsetAt(dayNaive + DAY + 12 * HOUR);
  if (before === after) {
    // No transition: the day maps onto instants one to one, in order.
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const ms = dayNaive + hour * HOUR + minute * MINUTE - before;
        if (ms >= start) return ms;
      }
    }
    return undefined;
  }
  // A transition day: a wall time may not exist or may happen twice, and later wall times can
  // come earlier, so look at every candidate that could still beat the best so far.
  const largest = Math.max(before, after);
  let best: number | undefined;
  for (const hour of cron.hours) {
    for (const minute of cron.minutes) {
      const naive = dayNaive + hour * HOUR + minute * MINUTE;
      if (best !== undefined && naive - largest > best) return best;
      for (const ms of instantsAtWall(naive, zone)) {
        if (ms >= start && (best === undefined || ms < best)) best = ms;
      }
    }
  }
  return best;
}

/**
 * The first tick of `cron` at or after `after`: the earliest whole minute at which the wall
 * clock in `zone` (an IANA name; default UTC) matches the expression. A wall time skipped by a
 * daylight-saving jump is no tick; one that happens twice ticks twice. Null when the
 * expression never fires (it cannot after parseCron accepted it).
 */
export function nextTick(cron: CronExpression | string, after: Date, zone?: string): Date | null {
  const expression = typeof cron === 'string' ? parseCron(cron) : cron;
  const tz = timeZone(zone);
  const start = Math.ceil(after.getTime() / MINUTE) * MINUTE;
  const first = wallClock(start, tz);
  // The local day before too: near a fall-back, `start` may sit in its repeated hour.
  let day = Date.UTC(first.year, first.month - 1, first.day) - DAY;
  const end = Date.UTC(first.year + HORIZON_YEARS, first.month - 1, first.day);
  while (day <= end) {
    const wall = wallOfNaive(day);
    if (!expression.months.includes(wall.month)) {
      day = Date.UTC(wall.year, wall.month, 1);
      continue;
    }
    if (dayMatches(expression, wall)) {
      const tick = firstTickOfDay(expression, day, start, tz);
      if (tick !== undefined) return new Date(tick);
    }
    day += DAY;
  }
  return null;
}
