export { metricVerbs } from './verbs';
export type { MetricVerbs } from './verbs';
export {
  MetricDefineSchema,
  MetricPointsQuerySchema,
  MetricRecordSchema,
  MetricSchema,
  MetricUpdateSchema,
} from './schema';
export type { Metric } from './schema';
