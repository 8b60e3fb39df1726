import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTick, nextTick } from '../../src/scheduler/cron/next-tick';
import { parseCron } from '../../src/scheduler/cron/parse-cron';

const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const next = (cron: string, after: string, zone?: string) =>
  nextTick(cron, at(after), zone)?.toISOString();

describe('nextTick', () => {
  it('answers the start itself when it is a tick', () => {
    // 2026-03-02 is a Monday.
    expect(next('0 9 * * MON', '2026-03-02T09:00:00.000Z')).toBe('2026-03-02T09:00:00.000Z');
    expect(next('0 9 * * MON', '2026-03-02T09:00:00.001Z')).toBe('2026-03-09T09:00:00.000Z');
    expect(next('0 9 * * MON', '2026-03-01T23:59:00.000Z')).toBe('2026-03-02T09:00:00.000Z');
  });

  it('rounds up to the next whole minute', () => {
    expect(next('* * * * *', '2026-03-02T09:00:30.000Z')).toBe('2026-03-02T09:01:00.000Z');
  });

  it('crosses hours, days, months and years', () => {
    expect(next('15 * * * *', '2026-03-02T09:20:00Z')).toBe('2026-03-02T10:15:00.000Z');
    expect(next('0 0 * * *', '2026-12-31T12:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 0 1 * *', '2026-01-31T00:01:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(next('@yearly', '2026-01-01T00:00:01Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('finds the 31st only in months that have one', () => {
    expect(next('0 0 31 * *', '2026-04-01T00:00:00Z')).toBe('2026-05-31T00:00:00.000Z');
  });

  it('waits for a leap year for February 29', () => {
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    // 2100 is not a leap year.
    expect(next('0 0 29 2 *', '2096-03-01T00:00:00Z')).toBe('2104-02-29T00:00:00.000Z');
  });

  it('fires on either day field when both are restricted', () => {
    // Friday the 13th cron: every Friday and every 13th, from Sunday 2026-03-01.
    expect(next('0 0 13 * FRI', '2026-03-01T00:00:00Z')).toBe('2026-03-06T00:00:00.000Z');
    expect(next('0 0 13 * FRI', '2026-03-11T00:00:00Z')).toBe('2026-03-13T00:00:00.000Z');
    expect(next('0 0 12 * FRI', '2026-03-11T00:00:00Z')).toBe('2026-03-12T00:00:00.000Z');
  });

  it('needs both day fields when one starts with *', () => {
    // Days 1, 4, 7, … that are Mondays: of March 2026's Mondays (2, 9, 16, 23, 30), the 16th.
    expect(next('0 0 */3 * MON', '2026-03-03T00:00:00Z')).toBe('2026-03-16T00:00:00.000Z');
    expect(next('0 0 * * MON', '2026-03-03T00:00:00Z')).toBe('2026-03-09T00:00:00.000Z');
  });

  it('reads the wall clock of a time zone', () => {
    // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
    expect(next('0 9 * * MON', '2026-03-17T00:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-23T08:00:00.000Z',
    );
    expect(next('0 9 * * MON', '2026-03-24T00:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    expect(next('0 9 * * *', '2026-03-02T00:00:00Z', 'Asia/Kolkata')).toBe(
      '2026-03-02T03:30:00.000Z',
    );
  });

  it('skips a wall time that a spring-forward jump leaves out', () => {
    // Berlin jumps from 02:00 to 03:00 on 2026-03-29: there is no 02:30 that day.
    expect(next('30 2 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-30T00:30:00.000Z',
    );
    expect(next('0 3 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('ticks twice at a wall time that a fall-back repeats', () => {
    // Berlin goes from 03:00 back to 02:00 on 2026-10-25: 02:30 happens at 00:30 and 01:30 UTC.
    const first = next('30 2 * * *', '2026-10-24T12:00:00Z', 'Europe/Berlin');
    expect(first).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 2 * * *', '2026-10-25T00:31:00Z', 'Europe/Berlin')).toBe(
      '2026-10-25T01:30:00.000Z',
    );
    // Inside the repeated hour, an hourly tick at :00 of the next hour comes before 02:30 again.
    expect(next('0 * * * *', '2026-10-25T00:01:00Z', 'Europe/Berlin')).toBe(
      '2026-10-25T01:00:00.000Z',
    );
  });

  it('handles zones that change at midnight and by half an hour', () => {
    // Santiago: clocks go from 24:00 back to 23:00 on 2026-04-04 (Saturday night).
    const santiago = next('30 23 * * *', '2026-04-05T02:31:00Z', 'America/Santiago');
    expect(santiago).toBe('2026-04-05T03:30:00.000Z');
    // Lord Howe moves by 30 minutes at 02:00 (to 02:30) on 2026-10-04.
    expect(next('15 2 * * *', '2026-10-03T00:00:00Z', 'Australia/Lord_Howe')).toBe(
      '2026-10-04T15:15:00.000Z',
    );
  });

  it('accepts a parsed expression as well as text', () => {
    const cron = parseCron('0 9 * * MON');
    expect(nextTick(cron, at('2026-03-03T00:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T09:00:00.000Z',
    );
    expect(isTick(cron, at('2026-03-09T09:00:00Z'))).toBe(true);
    expect(isTick(cron, at('2026-03-09T09:00:01Z'))).toBe(false);
    expect(isTick(cron, at('2026-03-09T09:00:00Z'), 'Europe/Berlin')).toBe(false);
  });
});

// ---- Properties, against an oracle written apart from the implementation. ----

const FIELD_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/** One cron field's text and the values it allows. */
function fieldArbitrary(min: number, max: number): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  const item = fc.oneof(
    fc.constant('*'),
    fc.integer({ min: 1, max: max - min + 1 }).map((s) => `*/${s}`),
    value.map(String),
    fc
      .tuple(value, value, fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }))
      .map(([a, b, step]) => `${Math.min(a, b)}-${Math.max(a, b)}${step ? `/${step}` : ''}`),
  );
  return fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
}

function valuesOf(text: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range, step = '1'] = item.split('/');
    const [a, b] = range === '*' ? [min, max] : range!.split('-').map(Number);
    const high = range === '*' || b !== undefined ? (b ?? max) : item.includes('/') ? max : a!;
    for (let n = a!; n <= high; n += Number(step)) out.add(n === 7 && max === 7 ? 0 : n);
  }
  return out;
}

/** An oracle of "this wall time matches", from the cron text, the plain rule of cron(8). */
function oracle(text: string) {
  const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  const numbered = text.replace(/[A-Z]{3}/g, (name) => String(days.indexOf(name)));
  const fields = numbered.split(' ');
  const [mi, ho, dom, mo, dow] = fields.map((f, i) => valuesOf(f, ...FIELD_RANGES[i]!));
  const starred = fields[2]!.startsWith('*') || fields[4]!.startsWith('*');
  const dayMatches = (month: number, day: number, weekday: number) => {
    if (!mo!.has(month)) return false;
    return starred ? dom!.has(day) && dow!.has(weekday) : dom!.has(day) || dow!.has(weekday);
  };
  return {
    dayMatches,
    matches: (w: Wall) =>
      mi!.has(w.minute) && ho!.has(w.hour) && dayMatches(w.month, w.day, w.weekday),
  };
}

interface Wall {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();
function wallIn(ms: number, zone: string): Wall {
  if (zone === 'UTC') {
    const d = new Date(ms);
    return {
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    };
  }
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday!),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** Checks the laws of nextTick for one expression, start and zone. */
function checkLaws(text: string, after: number, zone: string) {
  const result = nextTick(text, new Date(after), zone);
  expect(result).not.toBeNull();
  const tick = result!.getTime();
  const { matches, dayMatches } = oracle(text);
  expect(tick).toBeGreaterThanOrEqual(after);
  expect(tick % MINUTE).toBe(0);
  expect(matches(wallIn(tick, zone))).toBe(true);
  expect(nextTick(text, result!, zone)?.getTime()).toBe(tick);
  // No earlier tick between: every whole minute from `after` up to the result fails to match.
  // In UTC, days that do not match are skipped whole (their minutes cannot match).
  for (let m = Math.ceil(after / MINUTE) * MINUTE; m < tick; m += MINUTE) {
    const wall = wallIn(m, zone);
    if (zone === 'UTC' && !dayMatches(wall.month, wall.day, wall.weekday)) {
      m = Math.floor(m / DAY) * DAY + DAY - MINUTE;
      continue;
    }
    expect(matches(wall), new Date(m).toISOString()).toBe(false);
  }
}

const cronArbitrary = fc
  .tuple(...FIELD_RANGES.map(([min, max]) => fieldArbitrary(min, max)))
  .map((fields) => fields.join(' '))
  .filter((text) => {
    try {
      parseCron(text);
      return true;
    } catch {
      return false;
    }
  });

describe('nextTick laws', () => {
  it('in UTC: at or after the start, a tick, a fixed point, and no earlier tick between', () => {
    const after = fc.integer({
      min: Date.parse('2000-01-01T00:00:00Z'),
      max: Date.parse('2090-01-01T00:00:00Z'),
    });
    fc.assert(
      fc.property(cronArbitrary, after, (text, ms) => checkLaws(text, ms, 'UTC')),
      { numRuns: 300 },
    );
  });

  it('is monotonic: a later start never gives an earlier tick', () => {
    const after = fc.integer({ min: Date.parse('2024-01-01'), max: Date.parse('2030-01-01') });
    fc.assert(
      fc.property(cronArbitrary, after, fc.integer({ min: 0, max: 40 * DAY }), (text, a, d) => {
        const first = nextTick(text, new Date(a))!.getTime();
        const second = nextTick(text, new Date(a + d))!.getTime();
        expect(second).toBeGreaterThanOrEqual(first);
        if (a + d <= first) expect(second).toBe(first);
      }),
      { numRuns: 300 },
    );
  });

  const ZONES = [
    'Europe/Berlin',
    'America/New_York',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kolkata',
  ];

  /** Instants in 2025–2027 at which each zone's offset changes, to start searches near them. */
  function transitions(zone: string): number[] {
    const offset = (ms: number) => {
      const w = wallIn(ms, zone);
      const year = new Date(ms).getUTCFullYear();
      return (
        Date.UTC(year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(ms / MINUTE) * MINUTE
      );
    };
    const found: number[] = [];
    for (let ms = Date.parse('2025-01-01'); ms < Date.parse('2028-01-01'); ms += DAY / 4) {
      if (offset(ms) !== offset(ms + DAY / 4)) found.push(ms);
    }
    return found.length > 0 ? found : [Date.parse('2026-06-01')];
  }
  const nearTransitions = ZONES.map((zone) => ({ zone, at: transitions(zone) }));

  // Frequent ticks keep the minute-by-minute oracle affordable in a zone.
  const frequentCron = fc
    .tuple(
      fieldArbitrary(0, 59),
      fieldArbitrary(0, 23),
      fc.constantFrom('*', '*', '1-5', 'MON,THU', '*/2'),
    )
    .map(([minute, hour, dow]) => `${minute} ${hour} * * ${dow}`);

  it('in time zones, across daylight-saving changes, obeys the same laws', () => {
    const start = fc
      .constantFrom(...nearTransitions)
      .chain(({ zone, at }) =>
        fc
          .tuple(fc.constantFrom(...at), fc.integer({ min: -2 * DAY, max: 2 * DAY }))
          .map(([t, shift]) => ({ zone, after: t + shift })),
      );
    fc.assert(
      fc.property(frequentCron, start, (text, { zone, after }) => checkLaws(text, after, zone)),
      { numRuns: 60 },
    );
  });
});
