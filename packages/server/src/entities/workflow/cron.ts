// The parser lives with the scheduler, which also computes the ticks; the entity keeps its names.
export { parseCron } from '../../scheduler/cron/parse-cron';
export type { CronExpression as CronSchedule } from '../../scheduler/cron/cron-expression';
