import { describe, expect, it } from 'vitest';
import { CronSyntaxError } from '../../src/scheduler/cron/cron-expression';
import { parseCron } from '../../src/scheduler/cron/parse-cron';

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('parseCron', () => {
  it('reads * as every value of each field', () => {
    expect(parseCron('* * * * *')).toMatchObject({
      minutes: range(0, 59),
      hours: range(0, 23),
      daysOfMonth: range(1, 31),
      months: range(1, 12),
      daysOfWeek: range(0, 6),
      bothDaysMustMatch: true,
    });
  });

  it('reads single values, lists, ranges and steps', () => {
    const cron = parseCron('5,10 8-11 1-10/3 */4 1-5');
    expect(cron.minutes).toEqual([5, 10]);
    expect(cron.hours).toEqual([8, 9, 10, 11]);
    expect(cron.daysOfMonth).toEqual([1, 4, 7, 10]);
    expect(cron.months).toEqual([1, 5, 9]);
    expect(cron.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads a value with a step as running to the end of the field', () => {
    expect(parseCron('50/4 * * * *').minutes).toEqual([50, 54, 58]);
  });

  it('sorts and merges overlapping list items', () => {
    expect(parseCron('30,0-10/5,5 * * * *').minutes).toEqual([0, 5, 10, 30]);
  });

  it('reads month and weekday names in any case, also in ranges', () => {
    const cron = parseCron('0 9 * jan,Mar-MAY mon-fri');
    expect(cron.months).toEqual([1, 3, 4, 5]);
    expect(cron.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('0 9 * DEC SUN').months).toEqual([12]);
  });

  it('takes both 0 and 7 as Sunday', () => {
    expect(parseCron('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(parseCron('0 0 * * 0').daysOfWeek).toEqual([0]);
    expect(parseCron('0 0 * * 5-7').daysOfWeek).toEqual([0, 5, 6]);
    expect(parseCron('0 0 * * FRI-SUN').daysOfWeek).toEqual([0, 5, 6]);
    expect(parseCron('0 0 * * MON-SUN').daysOfWeek).toEqual(range(0, 6));
  });

  it('ORs the day fields only when neither starts with *', () => {
    expect(parseCron('0 9 1 * MON').bothDaysMustMatch).toBe(false);
    expect(parseCron('0 9 * * MON').bothDaysMustMatch).toBe(true);
    expect(parseCron('0 9 1 * *').bothDaysMustMatch).toBe(true);
    // `*/2` starts with *: the classic cron rule makes both fields count.
    expect(parseCron('0 9 */2 * MON').bothDaysMustMatch).toBe(true);
  });

  it('expands the macros', () => {
    expect(parseCron('@weekly')).toMatchObject({ minutes: [0], hours: [0], daysOfWeek: [0] });
    expect(parseCron('@daily').source).toBe('@daily');
    expect(parseCron(' @HOURLY ')).toMatchObject({ minutes: [0], hours: range(0, 23) });
    expect(parseCron('@yearly')).toMatchObject({ daysOfMonth: [1], months: [1] });
  });

  it('accepts extra spaces between fields', () => {
    expect(parseCron('  0   9 *  * MON ').minutes).toEqual([0]);
  });

  it.each([
    ['', undefined, '5 fields'],
    ['* * * *', undefined, 'not 4'],
    ['* * * * * *', undefined, 'not 6'],
    ['60 * * * *', 'minute', 'outside 0–59'],
    ['* 24 * * *', 'hour', 'outside 0–23'],
    ['* * 0 * *', 'day of month', 'outside 1–31'],
    ['* * 32 * *', 'day of month', 'outside 1–31'],
    ['* * * 13 *', 'month', 'outside 1–12'],
    ['* * * * 8', 'day of week', 'outside 0–7'],
    ['* * * FOO *', 'month', "'FOO' is not a number or a name (JAN–DEC)"],
    ['* * * * MONDAY', 'day of week', 'not a number'],
    ['*/0 * * * *', 'minute', 'at least 1'],
    ['*/x * * * *', 'minute', 'not a number'],
    ['1/2/3 * * * *', 'minute', 'more than one /'],
    ['10-5 * * * *', 'minute', 'runs backwards'],
    ['1-2-3 * * * *', 'minute', 'one -'],
    ['1,,2 * * * *', 'minute', 'empty list item'],
    ['-1 * * * *', 'minute', 'not a number'],
    ['1.5 * * * *', 'minute', 'not a number'],
    ['* * * * FRI-MON', 'day of week', 'runs backwards'],
    ['0 0 30 2 *', 'day of month', 'never fires'],
    ['0 0 31 4,6,9,11 *', 'day of month', 'never fires'],
  ])('refuses %j naming the field', (text, field, message) => {
    let error: unknown;
    try {
      parseCron(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CronSyntaxError);
    expect((error as CronSyntaxError).field).toBe(field);
    expect((error as Error).message).toContain(message);
    if (field) expect((error as Error).message).toMatch(new RegExp(`^${field} field`));
  });

  it('accepts a day that exists only in leap years, and a 31st when the weekday is set', () => {
    expect(parseCron('0 0 29 2 *').daysOfMonth).toEqual([29]);
    // Both day fields set: the weekday alone can fire it.
    expect(parseCron('0 0 30 2 MON').daysOfWeek).toEqual([1]);
  });
});
