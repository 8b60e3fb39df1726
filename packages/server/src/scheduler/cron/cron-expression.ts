/**
 * A parsed five-field cron expression: the values each field allows, sorted ascending.
 * Days of week run 0 (Sunday) to 6 (Saturday); a 7 in the text is read as Sunday.
 */
export interface CronExpression {
  /** The text it was parsed from, trimmed. */
  readonly source: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  /**
   * True when the day-of-month or the day-of-week field starts with `*` (`*`, `*\/2`): the day
   * must then match both fields. When neither does, a day matches if either field matches
   * (`0 9 1 * MON`: the 1st of each month and every Monday), as cron has always done.
   */
  readonly bothDaysMustMatch: boolean;
}

/** The name of a cron field, as error messages say it. */
export type CronField = 'minute' | 'hour' | 'day of month' | 'month' | 'day of week';

/** An expression that cannot be parsed; `field` names the part at fault when there is one. */
export class CronSyntaxError extends Error {
  constructor(
    message: string,
    readonly field?: CronField,
  ) {
    super(message);
    this.name = 'CronSyntaxError';
  }
}
