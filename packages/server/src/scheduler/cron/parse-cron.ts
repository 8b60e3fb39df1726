import type { CronExpression, CronField } from './cron-expression';
import { CronSyntaxError } from './cron-expression';

interface FieldSpec {
  field: CronField;
  min: number;
  max: number;
  /** Names standing for `min`, `min + 1`, … (JAN = 1, SUN = 0). */
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { field: 'minute', min: 0, max: 59 },
  { field: 'hour', min: 0, max: 23 },
  { field: 'day of month', min: 1, max: 31 },
  {
    field: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 7 is Sunday as well as 0, so `MON-SUN` and `5-7` read naturally.
  {
    field: 'day of week',
    min: 0,
    max: 7,
    names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  },
];

/** The shorthands cron implementations agree on. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function fail(spec: FieldSpec, text: string, reason: string): never {
  throw new CronSyntaxError(`${spec.field} field '${text}': ${reason}`, spec.field);
}

function number(token: string, spec: FieldSpec, part: string): number {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^\d{1,2}$/.test(token)) {
    const names = spec.names ? ` or a name (${spec.names[0]}–${spec.names.at(-1)})` : '';
    fail(spec, part, `'${token}' is not a number${names}`);
  }
  const n = Number(token);
  if (n < spec.min || n > spec.max) fail(spec, part, `${n} is outside ${spec.min}–${spec.max}`);
  return n;
}

/** One comma-separated part: `*`, `5`, `1-5`, `*\/15`, `10-50/20`, `5/10` (5 to the end by 10). */
function part(text: string, spec: FieldSpec, out: Set<number>): void {
  const slash = text.split('/');
  if (slash.length > 2) fail(spec, text, 'more than one /');
  const [range = '', stepText] = slash;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d{1,2}$/.test(stepText)) fail(spec, text, `step '${stepText}' is not a number`);
    step = Number(stepText);
    if (step < 1) fail(spec, text, 'a step must be at least 1');
  }
  let low: number;
  let high: number;
  if (range === '*') [low, high] = [spec.min, spec.max];
  else {
    const dash = range.split('-');
    if (dash.length > 2) fail(spec, text, 'a range has one -');
    low = number(dash[0] ?? '', spec, text);
    high = dash.length === 2 ? number(dash[1] ?? '', spec, text) : low;
    // `FRI-SUN` ends on Sunday's other number.
    if (spec.field === 'day of week' && dash.length === 2 && high === 0 && low > 0) high = 7;
    if (dash.length === 1 && stepText !== undefined) high = spec.max;
    if (low > high) fail(spec, text, `the range runs backwards (${low} > ${high})`);
  }
  for (let n = low; n <= high; n += step) out.add(n);
}

function field(text: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') fail(spec, text, 'an empty list item');
    part(item, spec, values);
  }
  if (spec.field === 'day of week' && values.delete(7)) values.add(0);
  return [...values].sort((a, b) => a - b);
}

/** The longest each month gets (February in a leap year). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Refuses `0 0 30 2 *`: when the day of month must match (the weekday field starts with `*`),
 * some allowed month must have some allowed day, or the expression would never fire.
 */
function assertSomeDayExists(daysOfMonth: number[], months: number[], parts: string[]): void {
  if (!parts[4]!.startsWith('*')) return;
  const shortest = daysOfMonth[0]!;
  if (months.some((m) => shortest <= MONTH_DAYS[m - 1]!)) return;
  throw new CronSyntaxError(
    `day of month field '${parts[2]}' never falls in month field '${parts[3]}': the expression never fires`,
    'day of month',
  );
}

/**
 * Parses a cron expression: five fields (minute hour day-of-month month day-of-week) with `*`,
 * lists, ranges, steps and names (JAN–DEC, SUN–SAT), or a macro such as `@weekly`.
 * Throws a CronSyntaxError that names the field at fault.
 */
export function parseCron(text: string): CronExpression {
  const source = text.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    throw new CronSyntaxError(
      `a cron expression has 5 fields (minute hour day-of-month month day-of-week), not ${
        parts[0] === '' ? 0 : parts.length
      }`,
    );
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = FIELDS.map((spec, i) =>
    field(parts[i]!, spec),
  ) as [number[], number[], number[], number[], number[]];
  assertSomeDayExists(daysOfMonth, months, parts);
  return {
    source,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    bothDaysMustMatch: parts[2]!.startsWith('*') || parts[4]!.startsWith('*'),
  };
}
