/** One parsed cron expression: the allowed values of each of its five fields. */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday … 6 = Saturday (7 is read as 0). */
  daysOfWeek: Set<number>;
  /** True when the day-of-month field was `*` (cron ORs the day fields only when both are set). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** What the first name stands for (1 for months, 0 for days). */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

function value(token: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(token)) throw new Error(`'${token}' is not a valid ${spec.name}`);
  const n = Number(token);
  if (n < spec.min || n > spec.max) {
    throw new Error(`${spec.name} ${n} is outside ${spec.min}–${spec.max}`);
  }
  return n;
}

function field(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || extra !== undefined)
      throw new Error(`'${part}' is not a valid ${spec.name}`);
    const step = stepText === undefined ? 1 : value(stepText, { ...spec, min: 1, max: spec.max });
    let low: number;
    let high: number;
    if (range === '*') [low, high] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      low = value(a ?? '', spec);
      high = value(b ?? '', spec);
      if (low > high) throw new Error(`${spec.name} range ${range} runs backwards`);
    } else {
      low = value(range, spec);
      high = stepText === undefined ? low : spec.max;
    }
    for (let n = low; n <= high; n += step) out.add(n);
  }
  return out;
}

/** Parses a five-field cron expression (`0 9 * * MON`); throws with a reason when invalid. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new Error(
      `a cron expression has 5 fields (minute hour day month weekday), not ${parts.length}`,
    );
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((p, i) =>
    field(p, FIELDS[i]!),
  );
  if (daysOfWeek!.has(7)) {
    daysOfWeek!.delete(7);
    daysOfWeek!.add(0);
  }
  return {
    minutes: minutes!,
    hours: hours!,
    daysOfMonth: daysOfMonth!,
    months: months!,
    daysOfWeek: daysOfWeek!,
    anyDayOfMonth: parts[2] === '*',
    anyDayOfWeek: parts[4] === '*',
  };
}
