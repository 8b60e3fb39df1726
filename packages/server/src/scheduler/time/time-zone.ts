/**
 * A wall-clock reading in some time zone, to the minute. `month` is 1–12; `weekday` is
 * 0 (Sunday) to 6.
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Converts instants to wall-clock readings of one IANA time zone and back. */
export interface TimeZone {
  readonly name: string;
  /** Wall time minus UTC at `ms`, in milliseconds (3_600_000 for UTC+1). */
  offsetAt(ms: number): number;
}

const UTC_ZONE: TimeZone = { name: 'UTC', offsetAt: () => 0 };

const zones = new Map<string, TimeZone>();

/** True when `name` is a time zone this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The time zone `name` (undefined: UTC); throws a RangeError for an unknown name. */
export function timeZone(name: string | undefined): TimeZone {
  if (name === undefined || name === 'UTC') return UTC_ZONE;
  let zone = zones.get(name);
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zone = {
      name,
      offsetAt(ms) {
        const at: Record<string, number> = {};
        for (const p of format.formatToParts(ms)) at[p.type] = Number(p.value);
        const wall = Date.UTC(at.year!, at.month! - 1, at.day!, at.hour!, at.minute!, at.second!);
        // The formatter drops milliseconds; compare whole seconds.
        return wall - (ms - (((ms % 1000) + 1000) % 1000));
      },
    };
    zones.set(name, zone);
  }
  return zone;
}

/** Reads a naive millisecond count (wall time written as if it were UTC) as a WallTime. */
export function wallOfNaive(naive: number): WallTime {
  const d = new Date(naive);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** The wall clock in `zone` at the instant `ms`. */
export function wallClock(ms: number, zone: TimeZone): WallTime {
  return wallOfNaive(ms + zone.offsetAt(ms));
}

/**
 * The instants at which the wall clock of `zone` reads the naive time `naive`, ascending:
 * none in a spring-forward gap, two in a fall-back overlap, one otherwise.
 */
export function instantsAtWall(naive: number, zone: TimeZone): number[] {
  // Offsets a day either side bracket any single transition near `naive`.
  const candidates = new Set([
    naive - zone.offsetAt(naive - DAY),
    naive - zone.offsetAt(naive + DAY),
  ]);
  return [...candidates].filter((ms) => ms + zone.offsetAt(ms) === naive).sort((a, b) => a - b);
}

/** The first instant at or after which the wall clock of `zone` reads `naive` or later. */
export function firstInstantAtOrAfterWall(naive: number, zone: TimeZone): number {
  const exact = instantsAtWall(naive, zone)[0];
  if (exact !== undefined) return exact;
  // In a gap the wall clock jumps over `naive`; the jump itself is the first instant past it.
  let low = naive - zone.offsetAt(naive - DAY);
  let high = naive - zone.offsetAt(naive + DAY);
  if (low > high) [low, high] = [high, low];
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (mid + zone.offsetAt(mid) >= naive) high = mid;
    else low = mid;
  }
  return high;
}
